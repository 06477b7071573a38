import { Client } from 'undici';

/** One request of the load: where it went, when, and how it ended. */
export interface LoadRecord {
  client: number;
  target: string;
  /** Date.now() when it was handed to the connection, and when its answer (or error) was complete. */
  startedAt: number;
  endedAt: number;
  /** Set when an answer arrived. */
  status?: number;
  /** The answer's Connection header: `close` while the instance drains. */
  connection?: string;
  body?: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  /** Set when the request was sent and then failed without an answer (undici's code). */
  error?: string;
  /** Instances that refused the connection before this one took the request. */
  refused: number;
}

export interface LoadReport {
  records: LoadRecord[];
  /** `200: 1234`, `ECONNRESET: 1`, … */
  outcomes: Record<string, number>;
  /** Sent and then failed, or answered 5xx: what a rollout must never cause. */
  dropped: LoadRecord[];
  /** Requests no instance accepted a connection for. */
  unserved: number;
  /** Connections refused and retried on the next instance, as a load balancer would. */
  failovers: number;
  /** Times a client moved to another instance because its own stopped being ready. */
  rerouted: number;
}

export interface Load {
  /** Requests finished so far (answered or failed). */
  readonly records: readonly LoadRecord[];
  /** Resolves once `predicate` holds for the records, checked as each request ends. */
  until(predicate: (records: readonly LoadRecord[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<LoadReport>;
}

export interface LoadOptions {
  /** GraphQL endpoints in failover order; each client starts on the first. */
  targets: string[];
  /** Concurrent clients, each with its own keep-alive connection per target. */
  clients: number;
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /**
   * Polls each target's /health/ready this often and sends new requests only to ready ones, as a
   * Kubernetes Service does with its endpoints. Without it, only a refused connection moves a client.
   */
  readinessPollMs?: number;
}

const refusedBeforeSending = (error: unknown) => (error as { code?: string }).code === 'ECONNREFUSED';

/**
 * Steady load through keep-alive connections, like browsers behind a load balancer: a client whose
 * connection is refused (nothing was sent) moves to the next instance and retries there; a request
 * that was sent and then failed is recorded, never retried, so the report shows every drop.
 */
export function startLoad(options: LoadOptions): Load {
  const records: LoadRecord[] = [];
  const waiters = new Set<() => void>();
  const pools = new Set<Client>();
  const body = JSON.stringify({ query: options.query, variables: options.variables ?? {} });
  let stopping = false;
  let unserved = 0;
  let failovers = 0;
  let rerouted = 0;

  const ready = options.targets.map(() => true);
  const poller = options.readinessPollMs
    ? setInterval(() => {
        options.targets.forEach((target, i) => {
          fetch(new URL('/health/ready', target), { signal: AbortSignal.timeout(1_000) }).then(
            (res) => {
              ready[i] = res.ok;
              return res.body?.cancel();
            },
            () => (ready[i] = false),
          );
        });
      }, options.readinessPollMs)
    : undefined;

  const finish = (record: LoadRecord) => {
    records.push(record);
    for (const check of waiters) check();
  };

  async function runClient(id: number) {
    // pipelining 1: one connection per target, reused request after request.
    const connections = options.targets.map((url) => {
      const c = new Client(new URL(url).origin, { pipelining: 1, keepAliveTimeout: 60_000 });
      pools.add(c);
      return c;
    });
    let current = 0;
    while (!stopping) {
      let refused = 0;
      for (;;) {
        // Like a Service whose endpoint left: new requests go to the next instance that is ready.
        if (!ready[current]) {
          const next = ready.findIndex((ok, i) => ok && i !== current);
          if (next >= 0) {
            current = next;
            rerouted++;
          }
        }
        const target = options.targets[current]!;
        const startedAt = Date.now();
        try {
          const res = await connections[current]!.request({
            method: 'POST',
            path: new URL(target).pathname,
            headers: { 'content-type': 'application/json', ...options.headers },
            body,
          });
          const text = await res.body.text();
          let parsed: LoadRecord['body'];
          try {
            parsed = JSON.parse(text) as LoadRecord['body'];
          } catch {
            parsed = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
          }
          const connection = res.headers.connection;
          finish({
            client: id,
            target,
            startedAt,
            endedAt: Date.now(),
            status: res.statusCode,
            ...(typeof connection === 'string' ? { connection } : {}),
            body: parsed,
            refused,
          });
          break;
        } catch (error) {
          if (refusedBeforeSending(error)) {
            refused++;
            failovers++;
            current = (current + 1) % options.targets.length;
            if (refused < options.targets.length * 3) continue;
            unserved++;
            await new Promise((r) => setTimeout(r, 50));
            break;
          }
          finish({ client: id, target, startedAt, endedAt: Date.now(), error: (error as { code?: string }).code ?? String(error), refused });
          break;
        }
      }
    }
  }

  const running = Promise.all(Array.from({ length: options.clients }, (_, i) => runClient(i)));

  return {
    records,
    until: (predicate, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`load: condition not met within ${timeoutMs} ms (${records.length} requests so far)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(records)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      stopping = true;
      clearInterval(poller);
      await running;
      await Promise.all([...pools].map((c) => c.close()));
      const outcomes: Record<string, number> = {};
      for (const r of records) {
        const key = r.error ?? String(r.status);
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      const dropped = records.filter((r) => r.error !== undefined || (r.status ?? 0) >= 500);
      return { records, outcomes, dropped, unserved, failovers, rerouted };
    },
  };
}
