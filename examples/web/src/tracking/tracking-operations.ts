import { graphql } from '../gql/index.ts';

graphql(`
  fragment TrackedOrder on Order {
    id
    reference
    status
    eta
    updatedAt
    dropoff {
      line1
      city
    }
    history {
      from
      to
      at
      reason
    }
    quote {
      currency
      totalMoney {
        amount
        currency
        formatted
      }
      breakdown {
        code
        description
        amount
      }
    }
    proofOfDelivery {
      deliveredAt
      recipientName
      signatureCaptured
      photoCaptured
    }
  }
`);

export const TrackOrderDocument = graphql(`
  query TrackOrder($id: ID!) {
    order(id: $id) {
      ...TrackedOrder
    }
  }
`);

export const OrderUpdatedDocument = graphql(`
  subscription OrderUpdated($id: ID!) {
    orderUpdated(id: $id) {
      ...TrackedOrder
    }
  }
`);

export const MyOrdersDocument = graphql(`
  query MyOrders($first: Int, $after: String) {
    orders(first: $first, after: $after) {
      edges {
        node {
          id
          reference
          status
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
