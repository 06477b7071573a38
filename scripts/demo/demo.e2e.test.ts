import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { runDemo } from './steps.ts';

describe('npm run demo', () => {
  let g: TestGraph;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
  });
  afterAll(() => g?.close());

  it('passes every step against a running graph, with the figures it read', async () => {
    const results = await runDemo(g.url);
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['log in as the demo dispatcher', true],
      ['create an order', true],
      ['read it back with its customer from iam (federation)', true],
      ['set up a depot and a vehicle (planning)', true],
      ['plan the order onto a route (planning)', true],
      ['read the order with its route and eta from planning (federation)', true],
      ["read the order's quote breakdown from billing (federation)", true],
      ['deliver it: the driver starts the route and completes the stop', true],
      ["read the order's invoice from billing as finance (federation)", true],
      ['issue the invoice as finance', true],
    ]);
    expect(results[7]!.figures).toBe('route IN_PROGRESS, stop COMPLETED (signed R. Ecipient), order DELIVERED');
    expect(results[8]!.figures).toMatch(/^DRAFT, 1 line\(s\): 1\.000 × \d+\.\d{2} \+ VAT 19\.00% STANDARD \d+\.\d{2}; subtotal \d+\.\d{2}, tax \d+\.\d{2}, total \d+\.\d{2} EUR$/);
    expect(results[9]!.figures).toMatch(/^INV-\d{4}-000001 ISSUED at \d{4}-.*Z, total \d+\.\d{2} EUR$/);
    expect(results[6]!.figures).toMatch(/^\d+\.\d{2} EUR for [\d.]+ km \(DIRECT, locked until \d{4}-.*Z\): BASE_FEE 4\.90, PER_KM .*; cost to serve \d+\.\d{2} for [\d.]+ km planned, margin -?\d+\.\d{2}$/);
    // The invoice is at the price quoted at checkout, not at the planned cost.
    expect(results[8]!.figures.match(/× (\d+\.\d{2})/)?.[1]).toBe(results[6]!.figures.split(' ')[0]);
    expect(results[4]!.figures).toMatch(/^route [0-9a-f-]{36} on \d{4}-\d{2}-\d{2}: 1 stop\(s\), [\d.]+ km, 0 unserved$/);
    expect(results[5]!.figures).toMatch(/^PLANNED on route [0-9a-f-]{36}, eta \d{4}-.*Z$/);
    expect(results[2]!.figures).toBe('customer dispatcher@demo.test of Demo Logistics');
  });

  it('fails the first step and stops when the graph refuses it', async () => {
    const results = await runDemo(`${g.url.replace('/graphql', '')}/nowhere`);
    expect(results).toHaveLength(1);
    expect(results[0]!.ok).toBe(false);
  });
});
