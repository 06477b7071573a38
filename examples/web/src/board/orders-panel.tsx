import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { formatTime } from '../ui/money.ts';
import { Link } from '../ui/router.tsx';
import { useLocale } from '../ui/use-session.ts';
import { BoardOrdersDocument } from './board-operations.ts';

const PAGE = 10;
type Page = { first: number; after?: string } | { last: number; before: string };

/** Orders newest first, a page at a time by keyset cursor (after / before), never by offset. */
export function OrdersPanel() {
  const { locale } = useLocale();
  const [page, setPage] = useState<Page>({ first: PAGE });
  const { data, error } = useQuery(BoardOrdersDocument, { variables: page });
  const orders = data?.orders;
  return (
    <section aria-labelledby="orders-heading">
      <h2 id="orders-heading">Orders</h2>
      <ErrorView error={error} />
      <table>
        <thead>
          <tr>
            <th>Reference</th>
            <th>Customer</th>
            <th>Status</th>
            <th>Quote</th>
            <th>ETA</th>
          </tr>
        </thead>
        <tbody>
          {orders?.edges.map(({ node: o }) => (
            <tr key={o.id} data-order-id={o.id}>
              <td>
                <Link to={`/track/${o.id}`}>{o.reference ?? o.id.slice(0, 8)}</Link>
              </td>
              <td>{o.customer?.name ?? '—'}</td>
              <td>{o.status}</td>
              <td>{o.quote?.totalMoney.formatted ?? '—'}</td>
              <td>{formatTime(o.eta, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={!orders?.pageInfo.hasPreviousPage || !orders.pageInfo.startCursor} onClick={() => setPage({ last: PAGE, before: orders!.pageInfo.startCursor! })}>
        Newer
      </button>
      <button type="button" disabled={!orders?.pageInfo.hasNextPage || !orders.pageInfo.endCursor} onClick={() => setPage({ first: PAGE, after: orders!.pageInfo.endCursor! })}>
        Older
      </button>
    </section>
  );
}
