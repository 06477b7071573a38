/**
 * The stack: every subgraph and the gateway as its own process, on a real PostgreSQL (one
 * database per domain, created if missing) and a real Kafka broker (events cross processes, so
 * the in-process bus cannot serve here). The same configuration docker-compose.yml runs.
 *   npm run stack     POSTGRES_URL defaults to postgres://postgres@127.0.0.1:5432/postgres;
 *                     without KAFKA_BROKERS a single-node broker is started from Maven jars.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { onShutdown } from '../subgraphs/kernel/main.ts';
import { SUBGRAPHS } from '../subgraphs/system/subgraphs.ts';
import { startKafkaBroker, type KafkaBroker } from './kafka/broker.ts';
import { commandLine } from './lib/command-line.ts';

commandLine({
  name: 'stack',
  summary: 'The production shape on one machine: a process per subgraph and the gateway, PostgreSQL, a Kafka broker.',
  options: {},
});
const env: Record<string, string | undefined> = {
  ...process.env,
  POSTGRES_URL: process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
let broker: KafkaBroker | undefined;
if (!env.KAFKA_BROKERS) {
  try {
    broker = await startKafkaBroker({ progress: (msg) => console.error(`stack: ${msg}`) });
  } catch (error) {
    console.error(`stack: no KAFKA_BROKERS and no broker could be started (${(error as Error).message}).`);
    process.exit(1);
  }
  env.KAFKA_BROKERS = broker.brokers.join(',');
}
const config = loadConfig(env);
// `node --cpu-prof scripts/stack.ts` profiles every process of the stack, not only this one.
const profiling = process.execArgv.filter((a) => a.startsWith('--cpu-prof'));
const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', entry], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}); stopping the stack.`);
    void stop(1);
  });
  children.push(child);
  return child;
}

async function waitReady(name: string, base: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(new URL('/health/ready', base)).catch(() => undefined);
    if (res?.ok) return;
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** SIGTERM to every child (each drains itself), then the broker this stack started. */
async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await broker?.stop();
}

async function stop(code: number): Promise<never> {
  await stopAll();
  process.exit(code);
}

// One Ctrl+C reaches this process more than once (terminal and npm); onShutdown tells an echo apart.
onShutdown(stopAll, (msg) => console.error(`stack: ${msg}`));

const started = Date.now();
try {
  for (const def of SUBGRAPHS) {
    run(def.name, `subgraphs/${def.name}/server.ts`);
    await waitReady(def.name, config.urls[def.name]);
    console.error(`stack: ${def.name} ready at ${config.urls[def.name]}`);
  }
  run('gateway', 'gateway/server.ts');
  const gateway = `http://${config.host}:${config.gateway.port}`;
  await waitReady('gateway', gateway);
  console.log(`
VoidTracker stack is up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${SUBGRAPHS.length} subgraph processes and the gateway,
on PostgreSQL at ${new URL(env.POSTGRES_URL!).host} (databases ${config.databasePrefix}_<domain>),
events on Kafka at ${config.events.kafkaBrokers.join(',')}${broker ? ' (started for this stack)' : ''}.

  GraphQL endpoint   ${gateway}/graphql
  Apollo Sandbox     ${gateway}/
Ctrl+C stops every process.
`);
} catch (error) {
  console.error(`stack: ${(error as Error).message}`);
  await stop(1);
}
