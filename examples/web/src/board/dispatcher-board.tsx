import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { BoardSetupDocument } from './board-operations.ts';
import { CreateOrderForm } from './create-order-form.tsx';
import { PoolPanel } from './pool-panel.tsx';
import { PlanDayPanel } from './plan-day-panel.tsx';
import { RoutesPanel } from './routes-panel.tsx';

const today = () => new Date().toISOString().slice(0, 10);
const param = (name: string) => new URLSearchParams(location.search).get(name);

/** A depot's day: its routes with their orders (live), the plan, the drivers, and what waits to be planned. */
export function DispatcherBoard() {
  const setup = useQuery(BoardSetupDocument);
  const [depotId, setDepotId] = useState<string | null>(param('depot'));
  const [date, setDate] = useState(param('date') ?? today());
  const depots = setup.data?.depots ?? [];
  const depot = depots.find((d) => d.id === depotId) ?? depots[0];
  const drivers = (setup.data?.drivers.edges ?? []).map((e) => e.node).filter((d) => d.active);
  return (
    <main>
      <h1>Dispatcher board</h1>
      <ErrorView error={setup.error} />
      <section aria-label="Depot and day">
        <label>
          Depot
          <select value={depot?.id ?? ''} onChange={(e) => setDepotId(e.target.value)}>
            {depots.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Day
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
      </section>
      {depot ? (
        <>
          <CreateOrderForm depot={depot} />
          <PlanDayPanel depotId={depot.id} date={date} />
          <RoutesPanel depotId={depot.id} date={date} drivers={drivers} />
        </>
      ) : (
        setup.data && <p>No depot yet: create one through the graph (createDepot).</p>
      )}
      <PoolPanel />
    </main>
  );
}
