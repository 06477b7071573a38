import { Worker } from 'node:worker_threads';

export class WorkerTaskError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Calls `module[exportName](...args)` on a fresh worker thread. Arguments and result must be
 * structured-clonable. The worker registers tsx to load TypeScript, as the process itself does.
 */
export function runInWorker<T>(moduleUrl: URL, exportName: string, args: unknown[], options: { timeoutMs: number }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { moduleUrl: moduleUrl.href, exportName, args },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`worker task ${exportName} exceeded ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    worker.once('message', (message: { ok: true; value: T } | { ok: false; error: { name: string; message: string } & Record<string, unknown> }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (message.ok) resolve(message.value);
      else reject(new WorkerTaskError(message.error.name, message.error.message, message.error));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
