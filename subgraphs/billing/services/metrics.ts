import { Counter, Histogram, Registry } from 'prom-client';

/** Why pricing did not produce a quote: no card in force for the order's date, or the card or facts broke. */
export type PricingFailure = 'no_rate_card' | 'error';

export interface BillingMetrics {
  /** Times one pricing computation (pure, in process) and counts its outcome. */
  priced<T>(price: () => T): T;
  pricingFailed(reason: PricingFailure): void;
  /** An invoice or credit note came into being (a draft from deliveries, or a credit note). */
  invoiceGenerated(kind: 'INVOICE' | 'CREDIT_NOTE', count?: number): void;
  invoiceIssued(kind: 'INVOICE' | 'CREDIT_NOTE'): void;
  /** Runs one number allocation and counts it when it throws: issuing is blocked until someone looks. */
  numbering<T>(kind: 'INVOICE' | 'CREDIT_NOTE', allocate: () => Promise<T>): Promise<T>;
  /** Prometheus text for /metrics. */
  text(): Promise<string>;
}

/** Pricing takes microseconds; the buckets go from 10 µs to 10 ms. */
const PRICING_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01];

/** A registry per subgraph instance, so the embedded graph and the tests' several graphs never share series. */
export function createBillingMetrics(): BillingMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph: 'billing' });
  const registers = [registry];
  const pricing = new Counter({ name: 'voidtracker_billing_pricing_total', help: 'Pricing computations, by outcome (success, failure) and reason.', labelNames: ['outcome', 'reason'], registers });
  const duration = new Histogram({ name: 'voidtracker_billing_pricing_duration_seconds', help: 'Time to price one order with its rate card.', buckets: PRICING_BUCKETS, registers });
  const generated = new Counter({ name: 'voidtracker_billing_invoices_generated_total', help: 'Invoices (drafts from deliveries) and credit notes created.', labelNames: ['kind'], registers });
  const issued = new Counter({ name: 'voidtracker_billing_invoices_issued_total', help: 'Invoices and credit notes issued (numbered).', labelNames: ['kind'], registers });
  const numberingFailures = new Counter({
    name: 'voidtracker_billing_invoice_numbering_failures_total',
    help: 'Invoice or credit note number allocations that failed (the issue was rolled back), by kind.',
    labelNames: ['kind'],
    registers,
  });
  // Both series exist from the start at 0, so the alert's increase() sees the very first failure.
  for (const kind of ['INVOICE', 'CREDIT_NOTE']) numberingFailures.inc({ kind }, 0);
  return {
    priced(price) {
      const end = duration.startTimer();
      try {
        const result = price();
        pricing.inc({ outcome: 'success', reason: '' });
        return result;
      } catch (error) {
        pricing.inc({ outcome: 'failure', reason: 'error' });
        throw error;
      } finally {
        end();
      }
    },
    pricingFailed: (reason) => pricing.inc({ outcome: 'failure', reason }),
    invoiceGenerated: (kind, count = 1) => {
      if (count > 0) generated.inc({ kind }, count);
    },
    invoiceIssued: (kind) => issued.inc({ kind }),
    async numbering(kind, allocate) {
      try {
        return await allocate();
      } catch (error) {
        numberingFailures.inc({ kind });
        throw error;
      }
    },
    text: () => registry.metrics(),
  };
}
