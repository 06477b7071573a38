import { useMutation } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { CreateOrderDocument } from './board-operations.ts';

interface Depot {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
  lat: number;
  lon: number;
}

/** A new order picked up at the depot; the graph checks the input and names the field it refuses. */
export function CreateOrderForm({ depot }: { depot: Depot }) {
  const [create, { data, error, loading }] = useMutation(CreateOrderDocument, { refetchQueries: ['BoardPool'] });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (name: string) => String(f.get(name) ?? '');
    const reference = text('reference').trim();
    const { line1, city, postalCode, country, lat, lon } = depot;
    void create({
      variables: {
        input: {
          ...(reference ? { reference } : {}),
          pickup: { line1, city, postalCode, country, lat, lon },
          dropoff: { line1: text('line1'), city: text('city'), postalCode: text('postalCode'), country: text('country'), lat: Number(text('lat')), lon: Number(text('lon')) },
          parcels: [{ weightKg: Number(text('weightKg')) }],
        },
      },
    }).catch(() => undefined);
  };
  return (
    <section aria-labelledby="create-heading">
      <h2 id="create-heading">New order</h2>
      <form onSubmit={submit} aria-label="New order">
        <label>
          Reference <input name="reference" />
        </label>
        <label>
          Street <input name="line1" required />
        </label>
        <label>
          City <input name="city" required />
        </label>
        <label>
          Postal code <input name="postalCode" required />
        </label>
        <label>
          Country <input name="country" defaultValue="DE" required />
        </label>
        <label>
          Latitude <input name="lat" inputMode="decimal" required />
        </label>
        <label>
          Longitude <input name="lon" inputMode="decimal" required />
        </label>
        <label>
          Weight (kg) <input name="weightKg" inputMode="decimal" defaultValue="2.5" required />
        </label>
        <button type="submit" disabled={loading}>
          Create order
        </button>
      </form>
      <ErrorView error={error} />
      {data && (
        <p role="status">
          Created order <span data-testid="created-order">{data.createOrder.id}</span> ({data.createOrder.status})
        </p>
      )}
    </section>
  );
}
