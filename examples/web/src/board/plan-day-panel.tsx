import { useMutation } from '@apollo/client/react';
import { ErrorView } from '../ui/error-view.tsx';
import { PlanDayDocument } from './board-operations.ts';

/** planDay: the pending orders onto the depot's free vehicles; what could not be served, and why. */
export function PlanDayPanel({ depotId, date }: { depotId: string; date: string }) {
  const [plan, { data, error, loading }] = useMutation(PlanDayDocument, { refetchQueries: ['BoardPool', 'BoardRoutes'] });
  const result = data?.planDay;
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">Plan the day</h2>
      <button type="button" disabled={loading} onClick={() => void plan({ variables: { depotId, date } }).catch(() => undefined)}>
        Plan {date}
      </button>
      <ErrorView error={error} />
      {result && (
        <div role="status" data-testid="plan-result">
          <p>
            {result.routes.length} route(s) planned, {result.unserved.length} order(s) unserved.
          </p>
          {result.unserved.length > 0 && (
            <ul aria-label="Unserved orders">
              {result.unserved.map((u) => (
                <li key={u.order.id}>
                  {u.order.reference ?? u.order.id.slice(0, 8)}: <code>{u.reason}</code> {u.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
