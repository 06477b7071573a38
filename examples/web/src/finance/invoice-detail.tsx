import { useMutation } from '@apollo/client/react';
import type { FormEvent } from 'react';
import type { FinanceInvoiceFragment, VatCategory } from '../gql/graphql.ts';
import { ErrorView } from '../ui/error-view.tsx';
import { formatMoney } from '../ui/money.ts';
import { useLocale } from '../ui/use-session.ts';
import { AddInvoiceLineDocument, IssueInvoiceDocument } from './finance-operations.ts';

const CATEGORIES: VatCategory[] = ['STANDARD', 'REDUCED', 'SUPER_REDUCED', 'ZERO', 'EXEMPT'];

/** One invoice: its lines in the organization's money format; a draft takes extra lines and is issued. */
export function InvoiceDetail({ invoice }: { invoice: FinanceInvoiceFragment }) {
  const { locale } = useLocale();
  const money = (amount: string) => formatMoney(amount, invoice.currency, locale);
  const [addLine, added] = useMutation(AddInvoiceLineDocument);
  // No refetch: the issued invoice stays on screen, its status updated in the normalized cache.
  const [issue, issued] = useMutation(IssueInvoiceDocument);
  const draft = invoice.status === 'DRAFT';
  const submitLine = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (name: string) => String(f.get(name) ?? '');
    void addLine({
      variables: { input: { invoiceId: invoice.id, description: text('description'), quantity: text('quantity'), unitPrice: text('unitPrice'), vatCategory: text('vatCategory') as VatCategory } },
    }).catch(() => undefined);
  };
  return (
    <section aria-labelledby="invoice-heading" data-testid="invoice-detail">
      <h2 id="invoice-heading">
        {invoice.kind === 'CREDIT_NOTE' ? 'Credit note' : 'Invoice'} {invoice.number ?? '(draft)'} · <span data-testid="invoice-status">{invoice.status}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>Description</th>
            <th>Quantity</th>
            <th>Unit price</th>
            <th>VAT</th>
            <th>Amount</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((l) => (
            <tr key={l.id}>
              <td>{l.description}</td>
              <td>{l.quantity}</td>
              <td>{money(l.unitPrice)}</td>
              <td>{l.vatRate}</td>
              <td>{money(l.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Subtotal</th>
            <td colSpan={4}>{money(invoice.subtotal)}</td>
          </tr>
          <tr>
            <th scope="row">Tax</th>
            <td colSpan={4}>{money(invoice.tax)}</td>
          </tr>
          <tr>
            <th scope="row">Total</th>
            <td colSpan={4} data-testid="invoice-total">
              {money(invoice.total)}
            </td>
          </tr>
        </tfoot>
      </table>
      {draft && (
        <>
          <form onSubmit={submitLine} aria-label="Add a line">
            <label>
              Description <input name="description" required />
            </label>
            <label>
              Quantity <input name="quantity" defaultValue="1" required />
            </label>
            <label>
              Unit price <input name="unitPrice" required />
            </label>
            <label>
              VAT category
              <select name="vatCategory" defaultValue="STANDARD">
                {CATEGORIES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={added.loading}>
              Add line
            </button>
          </form>
          <ErrorView error={added.error} />
          <button type="button" disabled={issued.loading} onClick={() => void issue({ variables: { invoiceId: invoice.id } }).catch(() => undefined)}>
            Issue invoice
          </button>
        </>
      )}
      <ErrorView error={issued.error} />
      {issued.data && (
        <p role="status">
          Issued as <span data-testid="issued-number">{issued.data.issueInvoice.number}</span>, total {issued.data.issueInvoice.totalMoney.formatted}
        </p>
      )}
    </section>
  );
}
