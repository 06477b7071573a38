/** What scripts/backup.ts and scripts/restore.ts share: output, progress lines, the summary table. */
import { paint, table, type Io } from './cli.ts';
import type { ManifestDomain, Progress } from './backup.ts';

export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

export const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** One line per finished domain, as it finishes: `[2/7] orders     dump     1.2 MiB  340 ms`. */
export function progressLine(tool: string, p: Progress): string {
  return `${tool}: [${p.index}/${p.total}] ${p.domain.padEnd(10)} ${p.step.padEnd(8)} ${formatBytes(p.bytes).padStart(10)}  ${formatMs(p.ms)}`;
}

export function summary(domains: readonly ManifestDomain[], timings: ReadonlyMap<string, number>, io: Io): string[] {
  return table(
    ['domain', 'entry', 'size', 'time', 'migration head', 'status'],
    domains.map((d) => [
      d.name,
      d.entry,
      formatBytes(d.bytes),
      timings.has(d.name) ? formatMs(timings.get(d.name)!) : '-',
      d.migrationHead ? `${d.migrationHead} (${d.migrations})` : '(none)',
      paint('OK', 'pass', io.colour),
    ]),
  );
}
