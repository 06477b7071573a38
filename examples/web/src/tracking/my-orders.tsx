import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { Link } from '../ui/router.tsx';
import { MyOrdersDocument } from './tracking-operations.ts';

/** A customer's own orders (the graph shows a customer only theirs), each linking to its tracking page. */
export function MyOrders() {
  const [after, setAfter] = useState<string | undefined>();
  const { data, error } = useQuery(MyOrdersDocument, { variables: { first: 20, ...(after ? { after } : {}) } });
  return (
    <main>
      <h1>Orders</h1>
      <ErrorView error={error} />
      <ul>
        {data?.orders.edges.map(({ node: o }) => (
          <li key={o.id}>
            <Link to={`/track/${o.id}`}>{o.reference ?? o.id.slice(0, 8)}</Link> {o.status}
          </li>
        ))}
      </ul>
      {data?.orders.pageInfo.hasNextPage && (
        <button type="button" onClick={() => setAfter(data.orders.pageInfo.endCursor ?? undefined)}>
          Older
        </button>
      )}
    </main>
  );
}
