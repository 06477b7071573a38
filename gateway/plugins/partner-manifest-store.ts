import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger } from '../../subgraphs/platform/logger.ts';
import { operationId, parseManifest, type ManifestOperation } from './partner-manifest.ts';

export interface ManifestStoreOptions {
  /** Client name → a manifest file path or an http(s) URL. */
  sources: Record<string, string>;
  /** Seconds between re-reads: URLs are polled; files are watched too, and this catches what a watch misses. */
  pollSeconds: number;
  logger: Logger;
  fetch?: typeof fetch;
  /** Every successful (re)load of a client's manifest. */
  onLoad?(client: string, operations: number): void;
  /** A new version was refused; the previous one stays in force. */
  onRejected?(client: string, error: string): void;
}

export interface ManifestStore {
  /** The operation a client may run under this id, or undefined. */
  lookup(client: string, id: string): ManifestOperation | undefined;
  /** Operations in force per configured client. */
  counts(): Record<string, number>;
  /** Settles once every source was tried once (a failed source leaves its client with nothing allowed). */
  ready: Promise<void>;
  /** Re-reads every source now (what the timers do). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** Every `<client>.json` in a folder, for when no list is configured (read once, at start). A missing folder: no partners. */
export function discoverManifests(dir: string): Record<string, string> {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return Object.fromEntries(files.filter((f) => f.endsWith('.json')).sort().map((f) => [f.slice(0, -'.json'.length), join(dir, f)]));
}

const isUrl = (location: string) => /^https?:\/\//i.test(location);

interface ClientState {
  operations: ReadonlyMap<string, ManifestOperation>;
  /** What was last seen at the source (content hash or ETag), so an unchanged source is not re-parsed. */
  version: string | undefined;
}

/**
 * Keeps every partner client's safelist in memory and swaps in a new version whole once it has
 * parsed and checked, so a request sees either the old list or the new one, never a half-read
 * file, and nothing is dropped while a reload runs. A version that fails to parse is logged and
 * ignored: the last good one stays in force.
 */
export function createManifestStore(options: ManifestStoreOptions): ManifestStore {
  const doFetch = options.fetch ?? fetch;
  const state = new Map<string, ClientState>(Object.keys(options.sources).map((c) => [c, { operations: new Map(), version: undefined }]));
  const running = new Map<string, Promise<void>>();
  const watchers: FSWatcher[] = [];
  let closed = false;

  const read = async (location: string, previous: string | undefined): Promise<{ text: string; version: string } | 'unchanged'> => {
    if (!isUrl(location)) {
      const text = await readFile(location, 'utf8');
      const version = operationId(text);
      return version === previous ? 'unchanged' : { text, version };
    }
    const res = await doFetch(location, {
      headers: previous ? { 'if-none-match': previous } : {},
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 304) return 'unchanged';
    if (!res.ok) throw new Error(`${location} answered ${res.status}`);
    const text = await res.text();
    const version = res.headers.get('etag') ?? operationId(text);
    return version === previous ? 'unchanged' : { text, version };
  };

  const load = async (client: string) => {
    const location = options.sources[client]!;
    const current = state.get(client)!;
    try {
      const fresh = await read(location, current.version);
      if (fresh === 'unchanged' || closed) return;
      const manifest = parseManifest(fresh.text);
      state.set(client, { operations: new Map(manifest.operations.map((op) => [op.id, op])), version: fresh.version });
      options.logger.info('persisted query manifest loaded', { client, source: location, operations: manifest.operations.length });
      options.onLoad?.(client, manifest.operations.length);
    } catch (error) {
      const message = (error as Error).message;
      options.logger.error('persisted query manifest refused; the previous version stays in force', { client, source: location, error: message });
      options.onRejected?.(client, message);
    }
  };

  /** One load per client at a time; a change noticed meanwhile is picked up by the next one. */
  const reload = (client: string): Promise<void> => {
    const pending = running.get(client);
    if (pending) return pending.then(() => reload(client));
    const work = load(client).finally(() => running.delete(client));
    running.set(client, work);
    return work;
  };

  const refresh = async () => {
    await Promise.all(Object.keys(options.sources).map(reload));
  };

  // Files: watch the folder (editors and `mv` replace a file rather than write into it).
  const byFolder = new Map<string, Array<[string, string]>>();
  for (const [client, location] of Object.entries(options.sources)) {
    if (isUrl(location)) continue;
    const folder = dirname(resolve(location));
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), [client, basename(location)]]);
  }
  const debounce = new Map<string, NodeJS.Timeout>();
  for (const [folder, files] of byFolder) {
    try {
      const watcher = watch(folder, (_event, file) => {
        for (const [client, name] of files) {
          if (file && file !== name) continue;
          clearTimeout(debounce.get(client));
          // A writer may still be writing: wait for it to settle.
          debounce.set(client, setTimeout(() => void reload(client), 50).unref());
        }
      });
      watcher.on('error', (error) => options.logger.warn('manifest folder watch failed; polling only', { folder, error: error.message }));
      watchers.push(watcher);
    } catch (error) {
      options.logger.warn('manifest folder cannot be watched; polling only', { folder, error: (error as Error).message });
    }
  }
  const timer = setInterval(() => void refresh(), options.pollSeconds * 1000).unref();

  return {
    lookup: (client, id) => state.get(client)?.operations.get(id),
    counts: () => Object.fromEntries([...state].map(([client, s]) => [client, s.operations.size])),
    ready: refresh(),
    refresh,
    close: async () => {
      closed = true;
      clearInterval(timer);
      for (const t of debounce.values()) clearTimeout(t);
      for (const w of watchers) w.close();
      await Promise.all(running.values());
    },
  };
}
