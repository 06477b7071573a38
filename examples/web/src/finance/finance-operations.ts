import { graphql } from '../gql/index.ts';

graphql(`
  fragment FinanceInvoice on Invoice {
    id
    number
    kind
    status
    currency
    subtotal
    tax
    total
    totalMoney {
      amount
      currency
      formatted
    }
    createdAt
    issuedAt
    customer {
      id
      name
    }
    lines {
      id
      description
      quantity
      unitPrice
      vatRate
      amount
    }
  }
`);

export const InvoicesDocument = graphql(`
  query Invoices($status: InvoiceStatus, $first: Int, $after: String) {
    invoices(filter: { status: $status }, first: $first, after: $after) {
      edges {
        node {
          ...FinanceInvoice
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AddInvoiceLineDocument = graphql(`
  mutation AddInvoiceLine($input: AddInvoiceLineInput!) {
    addInvoiceLine(input: $input) {
      ...FinanceInvoice
    }
  }
`);

export const IssueInvoiceDocument = graphql(`
  mutation IssueInvoice($invoiceId: ID!) {
    issueInvoice(invoiceId: $invoiceId) {
      ...FinanceInvoice
    }
  }
`);
