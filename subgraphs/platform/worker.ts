import { Worker } from 'node:worker_threads';
import { AppError } from './errors.ts';

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
    // Settles once the thread is gone, so a pool slot is free only when its thread is.
    const timer = setTimeout(() => {
      void worker.terminate().finally(() => reject(new Error(`worker task ${exportName} exceeded ${options.timeoutMs} ms`)));
    }, options.timeoutMs);
    worker.once('message', (message: { ok: true; value: T } | { ok: false; error: { name: string; message: string } & Record<string, unknown> }) => {
      clearTimeout(timer);
      void worker.terminate().finally(() => {
        if (message.ok) resolve(message.value);
        else reject(new WorkerTaskError(message.error.name, message.error.message, message.error));
      });
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export interface WorkerPoolOptions {
  /** Threads at once; more tasks wait. */
  size: number;
  /** Tasks that may wait for a thread; one more is refused at once. */
  queueLimit: number;
  /** A task still waiting after this long is refused (it would outlast the caller's patience anyway). */
  queueTimeoutMs: number;
  /** The stable `reason` of the busy refusal, e.g. OPTIMIZER_BUSY. */
  busyReason: string;
}

export interface WorkerPool {
  /** `runInWorker` on a thread of the pool, or RATE_LIMITED (busyReason, retryAfterSeconds) when it is full. */
  run<T>(moduleUrl: URL, exportName: string, args: unknown[], options: { timeoutMs: number }): Promise<T>;
  stats(): { running: number; waiting: number; refused: number };
}

/**
 * Bounds the threads seconds-long CPU tasks take: each task started its own thread before, so a
 * burst of optimizations multiplied threads and memory until everything timed out. A task waits
 * for a free thread in a short bounded queue; past it the caller is told to come back
 * (RATE_LIMITED with a reason and a retry hint), which a client can act on, unlike a timeout.
 */
export function createWorkerPool(options: WorkerPoolOptions, run: typeof runInWorker = runInWorker): WorkerPool {
  let running = 0;
  let refused = 0;
  const waiting: Array<{ start: () => void; timer: NodeJS.Timeout }> = [];
  const busy = () => {
    refused++;
    const retryAfterSeconds = Math.max(1, Math.ceil(options.queueTimeoutMs / 1000));
    const error = new AppError('RATE_LIMITED', `Busy: ${running} running and ${waiting.length} waiting; try again in ${retryAfterSeconds} s.`, { reason: options.busyReason });
    Object.assign(error.extensions, { retryAfterSeconds });
    return error;
  };
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start();
    }
  };
  const slot = () =>
    new Promise<void>((resolve, reject) => {
      if (running < options.size) {
        running++;
        return resolve();
      }
      if (waiting.length >= options.queueLimit) return reject(busy());
      const entry = {
        start: () => {
          running++;
          resolve();
        },
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(busy());
        }, options.queueTimeoutMs),
      };
      waiting.push(entry);
    });
  return {
    async run<T>(moduleUrl: URL, exportName: string, args: unknown[], o: { timeoutMs: number }) {
      await slot();
      try {
        return await run<T>(moduleUrl, exportName, args, o);
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length, refused }),
  };
}
