import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { InvoiceStatus } from '../gql/graphql.ts';
import { ErrorView } from '../ui/error-view.tsx';
import { formatMoney } from '../ui/money.ts';
import { useLocale } from '../ui/use-session.ts';
import { InvoicesDocument } from './finance-operations.ts';
import { InvoiceDetail } from './invoice-detail.tsx';

const STATUSES: InvoiceStatus[] = ['DRAFT', 'ISSUED', 'PAID', 'VOID'];

/** Invoices by status, newest first (keyset pages); a draft is completed and issued in its detail. */
export function FinanceView() {
  const { locale } = useLocale();
  const [status, setStatus] = useState<InvoiceStatus>('DRAFT');
  const [after, setAfter] = useState<string | undefined>();
  const [selected, setSelected] = useState<string | null>(null);
  const { data, error } = useQuery(InvoicesDocument, { variables: { status, first: 20, ...(after ? { after } : {}) } });
  const invoices = data?.invoices.edges.map((e) => e.node) ?? [];
  const invoice = invoices.find((i) => i.id === selected);
  return (
    <main>
      <h1>Finance</h1>
      <label>
        Status
        <select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as InvoiceStatus);
            setAfter(undefined);
          }}
        >
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <ErrorView error={error} />
      <table>
        <thead>
          <tr>
            <th>Number</th>
            <th>Customer</th>
            <th>Status</th>
            <th>Total</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((i) => (
            <tr key={i.id} data-invoice-id={i.id}>
              <td>{i.number ?? 'draft'}</td>
              <td>{i.customer.name}</td>
              <td>{i.status}</td>
              <td>{formatMoney(i.total, i.currency, locale)}</td>
              <td>
                <button type="button" onClick={() => setSelected(i.id)} aria-label={`Open invoice of ${i.customer.name}`}>
                  Open
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data?.invoices.pageInfo.hasNextPage && (
        <button type="button" onClick={() => setAfter(data.invoices.pageInfo.endCursor ?? undefined)}>
          Older
        </button>
      )}
      {invoice && <InvoiceDetail invoice={invoice} />}
    </main>
  );
}
