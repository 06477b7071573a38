import { readFile, stat } from 'node:fs/promises';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../subgraphs/platform/logger.ts';

export interface SupergraphFileOptions {
  path: string;
  /** How often to look at the file; 0: read it once. */
  pollMs: number;
  logger: Logger;
  /** Told after every reload attempt (tests and metrics). */
  onReload?(outcome: 'applied' | 'rejected', error?: Error): void;
}

/**
 * The supergraph from a file, reloaded when the file changes. Polling (not fs.watch) also sees a
 * file replaced by rename, as deploy tools do. ApolloGateway swaps the schema only once the new
 * one has been built, and requests already running finish on the plan they started with, so a
 * reload drops nothing. A file that does not build is refused and the graph keeps serving the
 * one before it; it is read again on every tick until it changes, since a writer that is not
 * atomic can be caught half-way.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphSdlHook {
  const { path, pollMs, logger, onReload } = options;
  return async ({ update }) => {
    let current = await readFile(path, 'utf8');
    if (pollMs <= 0) return { supergraphSdl: current };

    let seen = await fingerprint(path);
    let refused: string | undefined;
    let busy: Promise<void> | undefined;
    const tick = async () => {
      const now = await fingerprint(path);
      if (now === seen && refused === undefined) return;
      seen = now;
      const next = await readFile(path, 'utf8').catch(() => undefined);
      if (next === undefined || next === current || next === refused) return;
      try {
        update(next);
        current = next;
        refused = undefined;
        logger.info('supergraph reloaded', { path });
        onReload?.('applied');
      } catch (error) {
        refused = next;
        logger.error('supergraph change refused; still serving the previous one', { path, error: (error as Error).message });
        onReload?.('rejected', error as Error);
      }
    };
    const timer = setInterval(() => {
      // One look at a time; a slow disk never stacks them up.
      busy ??= tick()
        .catch((error: unknown) => logger.warn('supergraph poll failed', { path, error: (error as Error).message }))
        .finally(() => (busy = undefined));
    }, pollMs);
    timer.unref();
    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearInterval(timer);
        await busy;
      },
    };
  };
}

async function fingerprint(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  return s ? `${s.mtimeMs}:${s.size}:${s.ino}` : 'missing';
}
