/**
 * Where a V8 CPU profile (.cpuprofile, from node --cpu-prof or bench:gateways --profile) spends
 * its time: self time by package (or project folder) and the hottest functions.
 *   npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--top 25] [--match <regexp for the total-time list>]
 *       [--last <seconds>: only the samples of the profile's last seconds, e.g. an idle stack's quiet minute]
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; a project file → its top two folders; built-ins as V8 names them. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (built-in)';
  const project = url.replace(/^file:\/\//, '').split('/');
  const at = project.findIndex((p) => ['gateway', 'subgraphs', 'scripts'].includes(p));
  return at >= 0 ? project.slice(at, at + 2).join('/') : url;
}

/** `lastSeconds`: only samples taken in the profile's final seconds (timestamps in µs). */
export function summarize(profile: Profile, lastSeconds?: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id)!;
    const owner = ownerOf(f.url, f.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const fn = `${f.functionName || '(anonymous)'} ${owner}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  // Inclusive ("total") time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${ownerOf(n.callFrame.url, n.callFrame.functionName)}`;
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs: total / 1000, owners: sorted(owners), functions: sorted(functions), inclusive: sorted(inclusive) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile-summary <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  const at = process.argv.indexOf('--top');
  const top = at > 0 ? Number(process.argv[at + 1]) : 25;
  const last = process.argv.indexOf('--last');
  const { totalMs, owners, functions, inclusive } = summarize(JSON.parse(await readFile(file, 'utf8')) as Profile, last > 0 ? Number(process.argv[last + 1]) : undefined);
  const pct = (us: number) => `${((us / 1000 / totalMs) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled\n\nself time by package or folder`);
  for (const [name, us] of owners.slice(0, top)) console.log(`  ${pct(us)}  ${name}`);
  console.log('\nhottest functions (self time)');
  for (const [name, us] of functions.slice(0, top)) console.log(`  ${pct(us)}  ${name}`);
  // A filter (e.g. --match gateway) narrows the inclusive list to the phases worth reading.
  const m = process.argv.indexOf('--match');
  const match = m > 0 ? new RegExp(process.argv[m + 1]!) : /./;
  console.log('\nfunctions by total time (self + what they call)');
  for (const [name, us] of inclusive.filter(([n]) => match.test(n) && !n.startsWith('(')).slice(0, top)) console.log(`  ${pct(us)}  ${name}`);
}
