import { inputError, type ProblemInput, type StopInput } from '../../subgraphs/planning/domain/optimizer/problem-input.ts';

/**
 * Solomon VRPTW `.txt` parser (pure). Vehicle number and capacity come from
 * the VEHICLE block; the first customer row is the depot and its window is
 * the shift. Distances follow the DIMACS convention: Euclidean truncated to
 * one decimal, and travel time equals distance.
 */
export function parseSolomon(text: string): ProblemInput {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, message: string): never => {
    throw inputError(`line ${line + 1}`, message);
  };
  let name = '';
  let vehicleAt = -1;
  let customerAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    if (!name) name = raw;
    if (/^VEHICLE\b/i.test(raw)) vehicleAt = i;
    if (/^CUSTOMER\b/i.test(raw)) customerAt = i;
  }
  if (vehicleAt < 0) fail(0, 'missing VEHICLE block (expected a Solomon VRPTW file)');
  if (customerAt < 0) fail(0, 'missing CUSTOMER block (expected a Solomon VRPTW file)');

  const numericRow = (i: number): number[] | null => {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || /[A-Za-z]/.test(raw)) return null;
    return raw.split(/\s+/).map((t) => {
      const v = Number(t);
      if (!Number.isFinite(v)) fail(i, `expected a number, got "${t}"`);
      return v;
    });
  };

  let vehicles: number[] | null = null;
  for (let i = vehicleAt + 1; i < customerAt && !vehicles; i++) vehicles = numericRow(i);
  if (!vehicles || vehicles.length !== 2) fail(vehicleAt, 'VEHICLE block must contain "NUMBER CAPACITY"');
  const [count, capacity] = vehicles as [number, number];
  if (!Number.isInteger(count) || count < 1) fail(vehicleAt, `vehicle number must be a positive integer, got ${count}`);
  if (!(capacity > 0)) fail(vehicleAt, `vehicle capacity must be positive, got ${capacity}`);

  const rows: { line: number; v: number[] }[] = [];
  for (let i = customerAt + 1; i < lines.length; i++) {
    const v = numericRow(i);
    if (!v) continue;
    if (v.length !== 7) fail(i, `customer row needs 7 numbers (no, x, y, demand, ready, due, service), got ${v.length}`);
    rows.push({ line: i, v });
  }
  if (rows.length < 2) fail(customerAt, 'need a depot row and at least one customer row');
  for (const { line, v } of rows) {
    const [, , , demand, ready, due, service] = v as [number, number, number, number, number, number, number];
    if (demand < 0) fail(line, `negative demand ${demand}`);
    if (service < 0) fail(line, `negative service time ${service}`);
    if (due < ready) fail(line, `due date ${due} before ready time ${ready}`);
  }
  const [depotRow, ...customerRows] = rows as [{ line: number; v: number[] }, ...{ line: number; v: number[] }[]];
  const [depotNo, dx, dy, , dReady, dDue] = depotRow.v as [number, number, number, number, number, number, number];
  const stops = customerRows.map(({ v }): StopInput => {
    const [no, x, y, demand, ready, due, service] = v as [number, number, number, number, number, number, number];
    return { id: String(no), x, y, demand, serviceTime: service, timeWindow: [ready, due] };
  });
  return {
    name,
    metric: 'euclidean',
    rounding: 'truncate-1dp',
    depots: [{ id: String(depotNo), x: dx, y: dy }],
    stops,
    vehicles: [{ id: 'vehicle', capacity, count, shiftStart: dReady, shiftEnd: dDue }],
  };
}
