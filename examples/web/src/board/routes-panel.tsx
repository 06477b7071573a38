import { useFragment, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect } from 'react';
import { BoardRouteFragmentDoc, type BoardRouteFragment } from '../gql/graphql.ts';
import { ErrorView } from '../ui/error-view.tsx';
import { formatTime } from '../ui/money.ts';
import { useGraph, useLocale } from '../ui/use-session.ts';
import { AssignDriverDocument, BoardRoutesDocument, DispatchBoardDocument } from './board-operations.ts';

interface Driver {
  id: string;
  name: string;
}

/**
 * The depot's routes of the day: read once, then kept current by the dispatchBoard subscription
 * over graphql-ws (each push is the whole board), never polled; read again only when the socket
 * reconnects, since nothing is pushed on subscribing.
 */
export function RoutesPanel({ depotId, date, drivers }: { depotId: string; date: string; drivers: Driver[] }) {
  const initial = useQuery(BoardRoutesDocument, { variables: { depotId, date } });
  const live = useSubscription(DispatchBoardDocument, { variables: { depotId, date } });
  const { onLiveReconnected } = useGraph();
  const { refetch } = initial;
  useEffect(() => onLiveReconnected(() => void refetch()), [onLiveReconnected, refetch]);
  const routes: BoardRouteFragment[] =
    live.data?.dispatchBoard ?? (initial.data?.routes.edges ?? []).map((e) => e.node);
  return (
    <section aria-labelledby="routes-heading">
      <h2 id="routes-heading">Routes</h2>
      <p data-testid="board-live">{live.data ? 'Live' : 'Waiting for the first change'}</p>
      <ErrorView error={initial.error ?? live.error} />
      {routes.length === 0 && <p>No routes on {date}.</p>}
      {routes.map((r) => (
        <RouteCard key={r.id} route={r} drivers={drivers} />
      ))}
    </section>
  );
}

function RouteCard({ route: pushed, drivers }: { route: BoardRouteFragment; drivers: Driver[] }) {
  const { locale } = useLocale();
  // The route as the cache has it now: the newest of the last push, a re-read and a mutation's answer.
  const cached = useFragment({ fragment: BoardRouteFragmentDoc, from: pushed });
  const route = cached.complete ? cached.data : pushed;
  const [assign, { error }] = useMutation(AssignDriverDocument);
  return (
    <article aria-label={`Route of ${route.vehicle.name}`} data-route-id={route.id}>
      <h3>
        {route.vehicle.name} · {route.status} · {route.distanceKm.toFixed(1)} km
      </h3>
      <label>
        Driver
        <select
          value={route.driver?.id ?? ''}
          onChange={(e) => void assign({ variables: { routeId: route.id, driverId: e.target.value } }).catch(() => undefined)}
        >
          <option value="" disabled>
            unassigned
          </option>
          {drivers.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorView error={error} />
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Order</th>
            <th>Customer</th>
            <th>Quote</th>
            <th>Stop</th>
            <th>ETA</th>
          </tr>
        </thead>
        <tbody>
          {route.stops.map((s) => (
            <tr key={s.id} data-order-id={s.order.id}>
              <td>{s.sequence}</td>
              <td>{s.order.reference ?? s.order.id.slice(0, 8)}</td>
              <td>{s.order.customer?.name ?? '—'}</td>
              <td>{s.order.quote?.totalMoney.formatted ?? '—'}</td>
              <td>{s.status}</td>
              <td>{formatTime(s.order.eta ?? s.plannedArrival, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
