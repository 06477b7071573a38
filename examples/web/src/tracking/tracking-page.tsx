import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { formatMoney, formatTime } from '../ui/money.ts';
import { useLocale, useSession } from '../ui/use-session.ts';
import { OrderUpdatedDocument, TrackOrderDocument } from './tracking-operations.ts';

/**
 * One order for its customer: status history, ETA, the quote line by line, proof of delivery.
 * Read once, then live through orderUpdated over graphql-sse: each push lands in Apollo's cache
 * under the order's id, so the page re-renders from the same normalized object.
 */
export function TrackingPage({ orderId }: { orderId: string }) {
  const { locale } = useLocale();
  const token = useSession()?.accessToken;
  const { data, error, loading, refetch } = useQuery(TrackOrderDocument, { variables: { id: orderId } });
  const live = useSubscription(OrderUpdatedDocument, { variables: { id: orderId }, context: { transport: 'sse' } });
  // A stream carries the token it opened with and ends when that expires: reopen it on rotation.
  const opened = useRef(token);
  const { restart } = live;
  useEffect(() => {
    if (opened.current === token) return;
    opened.current = token;
    restart();
    // Nothing is pushed on subscribing: a change while the stream reopened is read instead.
    void refetch();
  }, [token, restart, refetch]);
  const order = data?.order;
  if (error) return <ErrorView error={error} />;
  if (loading && !order) return <p>Loading…</p>;
  if (!order) return <ErrorView error={{ code: 'NOT_FOUND', message: 'No such order, or not yours to see.' }} />;
  return (
    <main>
      <h1>Order {order.reference ?? order.id.slice(0, 8)}</h1>
      <p>
        Status: <strong data-testid="order-status">{order.status}</strong> · ETA: <span data-testid="order-eta">{formatTime(order.eta, locale)}</span>
      </p>
      <p>To {order.dropoff.line1}, {order.dropoff.city}</p>
      <ErrorView error={live.error} />
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ol data-testid="history">
          {order.history.map((h, i) => (
            <li key={i}>
              {formatTime(h.at, locale)}: {h.from ?? '—'} → {h.to}
              {h.reason ? ` (${h.reason})` : ''}
            </li>
          ))}
        </ol>
      </section>
      {order.quote && (
        <section aria-labelledby="quote-heading">
          <h2 id="quote-heading">Price</h2>
          <table>
            <tbody>
              {order.quote.breakdown.map((line) => (
                <tr key={line.code}>
                  <td>{line.description}</td>
                  <td>{formatMoney(line.amount, order.quote!.currency, locale)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Total</th>
                <td data-testid="quote-total">{formatMoney(order.quote.totalMoney.amount, order.quote.totalMoney.currency, locale)}</td>
              </tr>
            </tbody>
          </table>
        </section>
      )}
      {order.proofOfDelivery && (
        <section aria-labelledby="proof-heading" data-testid="proof-of-delivery">
          <h2 id="proof-heading">Proof of delivery</h2>
          <p>
            Received by <strong data-testid="proof-recipient">{order.proofOfDelivery.recipientName}</strong> at{' '}
            {formatTime(order.proofOfDelivery.deliveredAt, locale)}
            {[order.proofOfDelivery.signatureCaptured && ', signed', order.proofOfDelivery.photoCaptured && ', photographed'].filter(Boolean).join('')}
          </p>
        </section>
      )}
    </main>
  );
}
