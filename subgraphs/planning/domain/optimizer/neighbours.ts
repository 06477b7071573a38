import type { Instance } from './instance.ts';

/**
 * Granular neighbour lists: for each stop, the k most promising stops to be
 * next to it. With time windows the measure adds the waiting or lateness the
 * pair would force, so incompatible pairs sink down the list.
 */
export interface Neighbours {
  k: number;
  /** list[u * k + j]: j-th neighbour of node u (stop nodes only are filled). */
  list: Int32Array;
}

export function buildNeighbours(inst: Instance, k: number): Neighbours {
  const n = inst.nodeCount;
  const kk = Math.max(0, Math.min(k, inst.stopCount - 1));
  const list = new Int32Array(n * kk);
  const cand: { v: number; score: number }[] = [];
  for (let u = inst.depotCount; u < n; u++) {
    cand.length = 0;
    for (let v = inst.depotCount; v < n; v++) {
      if (v === u) continue;
      cand.push({ v, score: Math.min(pairScore(inst, u, v), pairScore(inst, v, u)) });
    }
    cand.sort((a, b) => a.score - b.score || a.v - b.v);
    for (let j = 0; j < kk; j++) list[u * kk + j] = (cand[j] as { v: number }).v;
  }
  return { k: kk, list };
}

/** Cost of going u -> v, plus waiting and lateness penalties when windows apply. */
function pairScore(inst: Instance, u: number, v: number): number {
  const n = inst.nodeCount;
  const d = inst.dist[u * n + v] as number;
  if (!inst.hasTime) return d;
  const leg = (inst.service[u] as number) + (inst.time[u * n + v] as number);
  const readyU = inst.ready[u] as number;
  const dueU = inst.due[u] as number;
  const readyV = inst.ready[v] as number;
  const dueV = inst.due[v] as number;
  // Waiting forced even when leaving u as late as possible.
  const wait = Number.isFinite(dueU) && Number.isFinite(readyV) ? Math.max(0, readyV - dueU - leg) : 0;
  // Impossible pairs (v closes before u can be served and left) go last.
  const impossible = Number.isFinite(readyU) && readyU + leg > dueV;
  return d + 0.2 * wait + (impossible ? 1e12 : 0);
}
