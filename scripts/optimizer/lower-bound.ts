import type { Instance, VehicleType } from '../../subgraphs/planning/domain/optimizer/instance.ts';

/**
 * Lower bounds on the total distance of a single-depot instance with
 * symmetric distances. Windows and shifts are ignored, so the bounds stay
 * valid for VRPTW too (but are loose there).
 *
 * Spanning-forest bound: a plan with k routes consists of customer-to-customer
 * edges forming a spanning forest with k trees (each route is a path), which
 * costs at least the MST minus its k-1 heaviest edges, plus 2k depot edge
 * ends, at least twice the k smallest depot distances. Minimised over every
 * feasible k (at least ceil(total demand / capacity)). Improved by Lagrangian
 * relaxation of "every customer has degree 2" (Held-Karp style): edge costs
 * become c_ij + p_i + p_j and the bound subtracts 2 sum p_i, with p tuned by
 * subgradient steps.
 *
 * Radial bound (needs the triangle inequality): a route is at least twice its
 * farthest customer's depot distance; a bin-packing argument over customers
 * sorted by depot distance bounds those far ends (stronger than the classic
 * 2/Q sum q_i d_0i). `roundingSlack` (max rounding error per edge) keeps it
 * valid for rounded distances.
 */
export function distanceLowerBound(
  inst: Instance,
  roundingSlack: number,
  options: { upperBound?: number; iterations?: number } = {},
): { bound: number; forest: number; radial: number } {
  const vt = inst.vehicleTypes[0] as VehicleType;
  const n = inst.nodeCount;
  const depot = vt.startNode;
  const m = inst.stopCount;
  if (m === 0) return { bound: 0, forest: 0, radial: 0 };
  const cust = Int32Array.from({ length: m }, (_, i) => inst.depotCount + i);
  let totalDemand = 0;
  for (const u of cust) totalDemand += inst.demand[u] as number;
  const kMin = Math.max(1, Math.ceil(totalDemand / vt.capacity - 1e-9));
  const kMax = Math.min(m, inst.maxVehicles);

  const pen = new Float64Array(m);
  const degree = new Int32Array(m);
  const parent = new Int32Array(m);
  const key = new Float64Array(m);
  const inTree = new Uint8Array(m);
  const edgeIdx = Array.from({ length: Math.max(0, m - 1) }, (_, i) => i + 1);
  const order = Array.from({ length: m }, (_, i) => i);
  const depotCost = new Float64Array(m);

  /** Bound for penalties `pen`; fills `degree` with the minimiser's degrees. */
  const evaluate = (): number => {
    // Prim over customers with penalised costs.
    inTree.fill(0);
    key.fill(Infinity);
    key[0] = 0;
    parent[0] = -1;
    for (let it = 0; it < m; it++) {
      let pick = -1;
      let best = Infinity;
      for (let i = 0; i < m; i++) if (!inTree[i] && (key[i] as number) < best) ((best = key[i] as number), (pick = i));
      inTree[pick] = 1;
      const row = (cust[pick] as number) * n;
      const pp = pen[pick] as number;
      for (let i = 0; i < m; i++) {
        if (inTree[i]) continue;
        const c = (inst.dist[row + (cust[i] as number)] as number) + pp + (pen[i] as number);
        if (c < (key[i] as number)) {
          key[i] = c;
          parent[i] = pick;
        }
      }
    }
    // Tree edge i is (i, parent[i]) with weight key[i]; heaviest first.
    edgeIdx.sort((a, b) => (key[b] as number) - (key[a] as number));
    for (let i = 0; i < m; i++) depotCost[i] = (inst.dist[depot * n + (cust[i] as number)] as number) + (pen[i] as number);
    order.sort((a, b) => (depotCost[a] as number) - (depotCost[b] as number));
    let tree = 0;
    for (let i = 1; i < m; i++) tree += key[i] as number;
    let best = Infinity;
    let bestK = kMin;
    let removed = 0;
    let ends = 0;
    for (let k = 1; k <= kMax; k++) {
      if (k > 1) removed += key[edgeIdx[k - 2] as number] as number;
      ends += 2 * (depotCost[order[k - 1] as number] as number);
      if (k >= kMin && tree - removed + ends < best) {
        best = tree - removed + ends;
        bestK = k;
      }
    }
    degree.fill(0);
    for (let j = bestK - 1; j < edgeIdx.length; j++) {
      const i = edgeIdx[j] as number;
      degree[i] = (degree[i] as number) + 1;
      degree[parent[i] as number] = (degree[parent[i] as number] as number) + 1;
    }
    for (let j = 0; j < bestK; j++) degree[order[j] as number] = (degree[order[j] as number] as number) + 2;
    let penSum = 0;
    for (const p of pen) penSum += p;
    return best - 2 * penSum;
  };

  let forest = evaluate();
  const ub = options.upperBound;
  const iterations = options.iterations ?? (ub === undefined ? 0 : m <= 200 ? 400 : 80);
  let lambda = 2;
  let stale = 0;
  for (let it = 0; it < iterations && ub !== undefined; it++) {
    let norm = 0;
    for (let i = 0; i < m; i++) norm += ((degree[i] as number) - 2) ** 2;
    if (norm === 0) break; // every customer has degree 2: the bound is tight
    const current = it === 0 ? forest : evaluate();
    if (current > forest + 1e-9) {
      forest = current;
      stale = 0;
    } else if (++stale >= 20) {
      lambda /= 2;
      stale = 0;
    }
    let n2 = 0;
    for (let i = 0; i < m; i++) n2 += ((degree[i] as number) - 2) ** 2;
    if (n2 === 0) break;
    const step = (lambda * Math.max(ub - current, 1e-6 * ub)) / n2;
    for (let i = 0; i < m; i++) pen[i] = (pen[i] as number) + step * ((degree[i] as number) - 2);
  }

  // Radial bound, bin-packing form: sort customers by depot distance,
  // farthest first. Customers farther than the (j+1)-th longest route's far
  // end fit in j routes, so that route reaches at least the customer sitting
  // at cumulative demand j*Q. Each route is at least twice its far end.
  const byDist = Array.from(cust).sort((a, b) => (inst.dist[depot * n + b] as number) - (inst.dist[depot * n + a] as number));
  let radial = 0;
  let cum = 0;
  let j = 0;
  for (const u of byDist) {
    cum += inst.demand[u] as number;
    while (j < kMin && cum > j * vt.capacity + 1e-9) {
      radial += 2 * (inst.dist[depot * n + u] as number);
      j++;
    }
  }
  radial -= roundingSlack * (m + 3 * kMin);
  return { bound: Math.max(forest, radial, 0), forest, radial };
}
