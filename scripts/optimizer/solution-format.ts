import type { SolveResult } from '../../subgraphs/planning/domain/optimizer/solve.ts';

/**
 * CVRPLIB `.sol` text: one `Route #k:` line per route with customers
 * numbered 1..n in file order (the depot is 0 and never printed), then
 * `Cost <total>`.
 */
export function toCvrplibSol(result: SolveResult): string {
  const lines = result.routes.map((r, i) => `Route #${i + 1}: ${r.stopIndices.map((s) => s + 1).join(' ')}`);
  lines.push(`Cost ${formatCost(result.totalDistance)}`);
  return lines.join('\n') + '\n';
}

export function formatCost(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(6)));
}
