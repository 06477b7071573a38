/**
 * Benchmarks billing's pure pricing function in process: p50/p99 per quote over varied orders
 * on the default rate card plus bands, zones and a discount (every rule kind in play).
 *   npx tsx scripts/bench-quote.ts [quotes]
 */
import { priceQuote, type OrderFacts } from '../subgraphs/billing/domain/price-quote.ts';
import { DEFAULT_RATE_CARD, RuleSetSchema } from '../subgraphs/billing/domain/rate-rules.ts';
import { commandLine } from './lib/command-line.ts';

const { positionals } = commandLine({
  name: 'bench-quote',
  summary: "Billing's pure pricing function in process: p50/p99 per quote over varied orders and every rule kind.",
  positionals: ['[quotes]'],
  options: {},
});
const n = Number(positionals[0] ?? 100_000);
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write(`bench-quote: [quotes] must be a whole number of at least 1, not ${positionals[0]}\n`);
  process.exit(2);
}
const customer = '01900000-0000-7000-8000-000000000103';
const card = {
  currency: 'EUR',
  rules: RuleSetSchema.parse([
    ...DEFAULT_RATE_CARD.rules,
    { kind: 'DISTANCE_BANDS', bands: [{ fromKm: 0, toKm: 10, amount: '0' }, { fromKm: 10, toKm: 100, amount: '2.5' }, { fromKm: 100, amount: '6' }] },
    { kind: 'ZONE_SURCHARGE', zones: [{ name: 'Islands', postcodePrefixes: ['18', '25'], amount: '12' }] },
    { kind: 'CUSTOMER_DISCOUNT', customers: [{ customerId: customer, percent: '5' }] },
  ]),
};
const orders: Array<{ facts: OrderFacts; km: string }> = Array.from({ length: 1000 }, (_, i) => ({
  facts: {
    customerId: i % 2 ? customer : null,
    weightKg: ((i % 40) + 0.5).toFixed(3),
    parcels: [{ weightKg: ((i % 40) + 0.5).toFixed(3), lengthCm: `${20 + (i % 60)}.0`, widthCm: '30.0', heightCm: '20.0' }],
    pickupPostalCode: '10115',
    dropoffPostalCode: i % 3 ? '14467' : '18055',
    deliveryWindow: i % 4 ? null : { start: '2031-01-02T10:00:00Z', end: '2031-01-02T11:30:00Z' },
  },
  km: ((i * 7.919) % 300).toFixed(3),
}));

for (let i = 0; i < 20_000; i++) priceQuote(card, orders[i % orders.length]!.facts, { km: orders[i % orders.length]!.km, source: 'DIRECT' }); // warm up the JIT
const samples = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const o = orders[i % orders.length]!;
  const t = performance.now();
  priceQuote(card, o.facts, { km: o.km, source: 'DIRECT' });
  samples[i] = performance.now() - t;
}
samples.sort();
const at = (p: number) => samples[Math.min(n - 1, Math.floor(p * n))]! * 1000;
const mean = (samples.reduce((s, v) => s + v, 0) / n) * 1000;
console.log(`priceQuote in process, ${n} quotes, ${card.rules.length} rules: p50 ${at(0.5).toFixed(1)} µs, p99 ${at(0.99).toFixed(1)} µs, mean ${mean.toFixed(1)} µs (aim: p99 < 100 µs)`);
