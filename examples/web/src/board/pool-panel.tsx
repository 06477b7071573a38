import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { formatTime } from '../ui/money.ts';
import { Link } from '../ui/router.tsx';
import { useLocale } from '../ui/use-session.ts';
import { BoardPoolDocument } from './board-operations.ts';

const PAGE = 10;
type Page = { first: number; after?: string } | { last: number; before: string };

/**
 * The orders waiting to be planned, oldest first, a page at a time by keyset cursor (never by
 * offset). The pool is the tenant's, not a depot's: planDay draws on all of it, so every depot's
 * board shows the same. Nothing pushes pool changes (an order reaches the pool by an event, after
 * createOrder answered): it is read again after creating and planning, and on demand.
 */
export function PoolPanel() {
  const { locale } = useLocale();
  const [page, setPage] = useState<Page>({ first: PAGE });
  const { data, error, refetch } = useQuery(BoardPoolDocument, { variables: page });
  const pool = data?.planningPool;
  return (
    <section aria-labelledby="pool-heading">
      <h2 id="pool-heading">Waiting to be planned{pool ? ` (${pool.totalCount})` : ''}</h2>
      <ErrorView error={error} />
      <button type="button" onClick={() => void refetch()}>
        Refresh waiting orders
      </button>
      <table data-testid="pool">
        <thead>
          <tr>
            <th>Reference</th>
            <th>Customer</th>
            <th>To</th>
            <th>Weight</th>
            <th>Window</th>
            <th>Quote</th>
          </tr>
        </thead>
        <tbody>
          {pool?.edges.map(({ node: p }) => (
            <tr key={p.order.id} data-order-id={p.order.id}>
              <td>
                <Link to={`/track/${p.order.id}`}>{p.reference ?? p.order.id.slice(0, 8)}</Link>
              </td>
              <td>{p.order.customer?.name ?? '—'}</td>
              <td>{p.dropoffCity}</td>
              <td>{p.weightKg} kg</td>
              <td>{p.windowStart ? `${formatTime(p.windowStart, locale)} – ${formatTime(p.windowEnd, locale)}` : 'any time'}</td>
              <td>{p.order.quote?.totalMoney.formatted ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={!pool?.pageInfo.hasPreviousPage || !pool.pageInfo.startCursor} onClick={() => setPage({ last: PAGE, before: pool!.pageInfo.startCursor! })}>
        Earlier
      </button>
      <button type="button" disabled={!pool?.pageInfo.hasNextPage || !pool.pageInfo.endCursor} onClick={() => setPage({ first: PAGE, after: pool!.pageInfo.endCursor! })}>
        Later
      </button>
    </section>
  );
}
