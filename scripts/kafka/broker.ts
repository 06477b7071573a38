/**
 * A real, single-node Apache Kafka broker (KRaft combined broker+controller, no
 * ZooKeeper) for integration tests and local stacks.
 *
 * The broker jars come from Maven Central: `scripts/kafka/pom.xml` is handed to
 * `mvn dependency:build-classpath` once, the resulting classpath is cached under
 * `<repo>/.cache/kafka/`, and every later start launches `java -cp … kafka.Kafka`
 * directly without touching Maven. See docs/kafka-broker.md.
 *
 * This module never reads `process.env`; callers (the CLI, tests) translate
 * environment variables into {@link KafkaBrokerOptions}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { killWithParent } from '../lib/reaper.ts';

/** Kafka release used when the caller does not ask for another one. */
export const DEFAULT_KAFKA_VERSION = '4.3.1';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Repository root (this file lives in `<root>/scripts/kafka/`). */
const REPO_ROOT = resolve(HERE, '..', '..');
const POM_PATH = join(HERE, 'pom.xml');
const DEFAULT_CACHE_DIR = join(REPO_ROOT, '.cache', 'kafka');

export type BrokerLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface KafkaBrokerOptions {
  /** Kafka release to resolve from Maven Central (`org.apache.kafka:kafka_2.13`). Default {@link DEFAULT_KAFKA_VERSION}. */
  kafkaVersion?: string;
  /** `java` executable (Java 17+ for Kafka 4.x). Default `java` from PATH. */
  javaBin?: string;
  /** `mvn` executable, only needed while the classpath is not cached. Default `mvn` from PATH. */
  mavenBin?: string;
  /** Extra Maven arguments for the one-off resolution, e.g. `['-s', 'ci-settings.xml']` or `['-Dmaven.repo.local=/path']`. */
  mavenArgs?: string[];
  /** Where the resolved classpath is cached. Default `<repo>/.cache/kafka`. */
  cacheDir?: string;
  /** Client (PLAINTEXT) port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** KRaft controller port on 127.0.0.1. Default: a free port. */
  controllerPort?: number;
  /** Maximum JVM heap, `-Xmx` syntax. Default `512m`. */
  maxHeap?: string;
  /** Extra JVM flags appended after the defaults. */
  jvmArgs?: string[];
  /** `auto.create.topics.enable`. Default `false`: tests must create their topics explicitly, as in production. */
  autoCreateTopics?: boolean;
  /** `num.partitions` for auto-created topics / topics created without a count. Default 1. */
  numPartitions?: number;
  /** Extra/overriding server.properties entries, applied last. */
  serverProperties?: Record<string, string | number | boolean>;
  /** Level of the broker's own log file (`<workDir>/broker.log`). Default `info`. */
  logLevel?: BrokerLogLevel;
  /** Directory holding server.properties, data and the log. Default: a fresh temp dir, removed by `stop()`. A given directory is kept. */
  workDir?: string;
  /** How long to wait for the broker to answer `describeCluster`. Default 90 s. */
  startTimeoutMs?: number;
  /** Grace period after SIGTERM before SIGKILL. Default 20 s. */
  stopTimeoutMs?: number;
  /** Upper bound for the Maven resolution. Default 10 min. */
  mavenTimeoutMs?: number;
  /** Progress sink. Default: one line per message on stderr. Pass `() => {}` to silence. */
  progress?: (message: string) => void;
}

export interface StopBrokerOptions {
  /** `SIGTERM` (default) = clean controlled shutdown; `SIGKILL` = simulated crash. */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** Grace period after SIGTERM before escalating to SIGKILL. Default: the start option `stopTimeoutMs`. */
  timeoutMs?: number;
}

export interface KafkaBroker {
  /** Bootstrap list for clients, e.g. `['127.0.0.1:40123']`. Stable across stopBroker()/startAgain(). */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly kafkaVersion: string;
  readonly clusterId: string;
  /** Directory with server.properties, `data/` and `broker.log`. */
  readonly workDir: string;
  readonly logFile: string;
  /** PID of the running JVM, `undefined` while stopped. */
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** Stop the JVM but keep data dir and ports so {@link startAgain} can bring the same broker back. */
  stopBroker(options?: StopBrokerOptions): Promise<void>;
  /** Start the JVM again on the same data dir and ports; resolves once it answers clients. */
  startAgain(): Promise<void>;
  /** `stopBroker(options)` followed by `startAgain()`. */
  restart(options?: StopBrokerOptions): Promise<void>;
  /** Stop for good: kill the JVM (SIGTERM, then SIGKILL) and remove the temp work dir. Idempotent. */
  stop(): Promise<void>;
  /** The last `lines` lines of the broker log (for diagnostics). */
  logTail(lines?: number): string;
}

export interface KafkaPrerequisites {
  ok: boolean;
  /** Why the broker cannot be started here (when `ok` is false). */
  reason?: string;
  javaVersion?: number;
  /** A cached classpath exists, so Maven is not needed. */
  classpathCached: boolean;
  /** Whether `mvn -v` works; not checked (undefined) when the classpath is cached. */
  mavenAvailable?: boolean;
}

// ---------------------------------------------------------------------------
// small process helpers

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function run(cmd: string, args: string[], opts: { timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            output += `\n[killed after ${opts.timeoutMs} ms]`;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, signal, output });
    });
  });
}

function lastLines(text: string, n: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const seconds = (sinceMs: number) => ((Date.now() - sinceMs) / 1000).toFixed(1);

// ---------------------------------------------------------------------------
// prerequisites

/** Major version of the given `java`, or undefined when it cannot be run. */
export async function javaMajorVersion(javaBin = 'java'): Promise<number | undefined> {
  try {
    const { code, output } = await run(javaBin, ['-version'], { timeoutMs: 30_000 });
    if (code !== 0) return undefined;
    const m = /version "(\d+)(?:\.(\d+))?/.exec(output);
    if (!m) return undefined;
    const major = Number(m[1]);
    // Java 8 and older report "1.8.0_…".
    return major === 1 && m[2] ? Number(m[2]) : major;
  } catch {
    return undefined;
  }
}

async function mavenAvailable(mavenBin: string): Promise<boolean> {
  try {
    const { code } = await run(mavenBin, ['-v'], { timeoutMs: 60_000 });
    return code === 0;
  } catch {
    return false;
  }
}

function requiredJava(kafkaVersion: string): number {
  const major = Number(kafkaVersion.split('.')[0]);
  return major >= 4 ? 17 : 11;
}

/**
 * Can {@link startKafkaBroker} work on this machine? Needs a recent enough Java and
 * either Maven or an already cached classpath. Never throws.
 */
export async function checkKafkaPrerequisites(
  options: Pick<KafkaBrokerOptions, 'javaBin' | 'mavenBin' | 'kafkaVersion' | 'cacheDir'> = {},
): Promise<KafkaPrerequisites> {
  const javaBin = options.javaBin ?? 'java';
  const mavenBin = options.mavenBin ?? 'mvn';
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const [javaVersion, classpath] = await Promise.all([
    javaMajorVersion(javaBin),
    readCachedClasspath(classpathCacheFile(cacheDir, kafkaVersion)),
  ]);
  const classpathCached = classpath !== undefined;
  const hasMaven = classpathCached ? undefined : await mavenAvailable(mavenBin);
  const needJava = requiredJava(kafkaVersion);
  let reason: string | undefined;
  if (javaVersion === undefined) reason = `no working Java found (tried \`${javaBin} -version\`)`;
  else if (javaVersion < needJava) reason = `Kafka ${kafkaVersion} needs Java ${needJava}+, found Java ${javaVersion}`;
  else if (hasMaven === false) reason = `Maven not found (tried \`${mavenBin} -v\`) and no cached Kafka classpath in ${cacheDir}`;
  return { ok: reason === undefined, reason, javaVersion, classpathCached, mavenAvailable: hasMaven };
}

// ---------------------------------------------------------------------------
// classpath resolution (Maven, cached)

function classpathCacheFile(cacheDir: string, kafkaVersion: string): string {
  // The pom's content is part of the key so editing it invalidates the cache.
  let pomHash = 'nopom';
  try {
    pomHash = createHash('sha256').update(readFileSync(POM_PATH)).digest('hex').slice(0, 12);
  } catch {
    /* reported when Maven runs */
  }
  return join(cacheDir, `classpath-${kafkaVersion}-${pomHash}.txt`);
}

async function readCachedClasspath(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  // The jars live in ~/.m2; if someone wiped it the cache is stale.
  const entries = text.split(delimiter);
  return entries.every((jar) => existsSync(jar)) ? text : undefined;
}

const inFlightResolutions = new Map<string, Promise<string>>();

/**
 * Classpath (delimiter-joined jar paths) for the Kafka broker, from the cache when
 * possible, otherwise via `mvn dependency:build-classpath` (result is cached).
 */
export function resolveKafkaClasspath(
  options: Pick<KafkaBrokerOptions, 'kafkaVersion' | 'mavenBin' | 'mavenArgs' | 'cacheDir' | 'mavenTimeoutMs' | 'progress'> = {},
): Promise<string> {
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const file = classpathCacheFile(cacheDir, kafkaVersion);
  const pending = inFlightResolutions.get(file);
  if (pending) return pending;
  const promise = (async () => {
    const cached = await readCachedClasspath(file);
    if (cached) return cached;
    const progress = options.progress ?? defaultProgress;
    const mavenBin = options.mavenBin ?? 'mvn';
    await mkdir(cacheDir, { recursive: true });
    const tmpFile = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const started = Date.now();
    progress(`resolving Kafka ${kafkaVersion} with Maven (first run downloads ~40 MB into ~/.m2)…`);
    let result: RunResult;
    try {
      result = await run(
        mavenBin,
        [
          '-q',
          '-B',
          '-f',
          POM_PATH,
          `-Dkafka.version=${kafkaVersion}`,
          'dependency:build-classpath',
          `-Dmdep.outputFile=${tmpFile}`,
          '-Dmdep.includeScope=runtime',
          ...(options.mavenArgs ?? []),
        ],
        { timeoutMs: options.mavenTimeoutMs ?? 10 * 60_000, cwd: REPO_ROOT },
      );
    } catch (err) {
      throw new Error(`could not run Maven (\`${mavenBin}\`): ${(err as Error).message}`);
    }
    if (result.code !== 0 || !existsSync(tmpFile)) {
      await rm(tmpFile, { force: true });
      throw new Error(
        `Maven failed to resolve org.apache.kafka:kafka_2.13:${kafkaVersion} (exit ${result.code ?? result.signal}):\n` +
          lastLines(result.output, 30),
      );
    }
    await rename(tmpFile, file);
    progress(`resolved Kafka ${kafkaVersion} classpath in ${seconds(started)} s (cached in ${file})`);
    const text = await readCachedClasspath(file);
    if (!text) throw new Error(`Maven wrote an empty or invalid classpath to ${file}`);
    return text;
  })();
  inFlightResolutions.set(file, promise);
  promise.finally(() => inFlightResolutions.delete(file)).catch(() => {});
  return promise;
}

// ---------------------------------------------------------------------------
// broker helpers

function defaultProgress(message: string): void {
  process.stderr.write(`[kafka] ${message}\n`);
}

/** Distinct free TCP ports on 127.0.0.1 (all held open until every one is picked). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolvePromise, reject) => {
          const server = createServer();
          server.unref();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolvePromise(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === 'string') throw new Error('unexpected server address');
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** Kafka cluster ids are 16 random bytes, base64url without padding. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(input: {
  port: number;
  controllerPort: number;
  dataDir: string;
  autoCreateTopics: boolean;
  numPartitions: number;
  extra: Record<string, string | number | boolean>;
}): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${input.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${input.port},CONTROLLER://127.0.0.1:${input.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${input.port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': input.dataDir,
    'num.partitions': input.numPartitions,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'auto.create.topics.enable': input.autoCreateTopics,
    // Internal topics: one replica, and fewer partitions than the production
    // default of 50 so the first consumer group / transaction comes up fast.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    // Sized for a 2-core machine with a 512 MB heap.
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 4,
    // A SIGKILLed broker's registration blocks its successor until this session
    // expires (default 9 s); keep crash-restart tests quick.
    'broker.session.timeout.ms': 4000,
    'broker.heartbeat.interval.ms': 1000,
    // The active controller appends a no-op record to the metadata log this often (default 500 ms)
    // so brokers see it alive; with one combined node, every 5 s takes a quarter off an idle
    // broker's CPU (docs/kafka-broker.md).
    'metadata.max.idle.interval.ms': 5000,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    ...input.extra,
  };
  const body = Object.entries(props)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n');
  return `# generated by scripts/kafka/broker.ts\n${body}\n`;
}

function readLogTail(file: string, lines = 40): string {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return lastLines(buffer.toString('utf8'), lines);
    } finally {
      closeSync(fd);
    }
  } catch {
    return '(no broker log)';
  }
}

function jvmArgs(maxHeap: string, logLevel: BrokerLogLevel, extra: string[], owner: string): string[] {
  return [
    `-Xmx${maxHeap}`,
    '-Xms64m',
    '-Xss512k',
    // Serial GC: fewest GC threads, short pauses at this heap size; fine on 2 cores.
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    // Everything slf4j logs goes to stdout, which is redirected into broker.log.
    '-Dorg.slf4j.simpleLogger.logFile=System.out',
    `-Dorg.slf4j.simpleLogger.defaultLogLevel=${logLevel}`,
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
    '-Dorg.slf4j.simpleLogger.showShortLogName=true',
    // Lets a human (or `pgrep -f voidtracker.kafka.owner`) tell whose JVM this is.
    `-Dvoidtracker.kafka.owner=${owner}`,
    ...extra,
  ];
}

// If this Node process exits without stop() (crash, process.exit in a test
// worker), SIGKILL the JVMs it started and remove their temp dirs. 'exit'
// handlers must be synchronous, hence kill() + rmSync.
const liveChildren = new Set<ChildProcess>();
const ownedWorkDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of liveChildren) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const dir of ownedWorkDirs) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      } catch {
        /* best effort */
      }
    }
  });
}
function trackChild(child: ChildProcess): void {
  installExitHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolvePromise(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolvePromise(true);
    };
    child.once('exit', onExit);
  });
}

async function runStorageFormat(input: {
  javaBin: string;
  classpath: string;
  configFile: string;
  clusterId: string;
  logFile: string;
  logLevel: BrokerLogLevel;
  owner: string;
}): Promise<void> {
  // Short-lived tool: C1 only starts faster.
  const common = [...jvmArgs('256m', input.logLevel, ['-XX:TieredStopAtLevel=1'], input.owner), '-cp', input.classpath];
  const formatArgs = ['format', '-t', input.clusterId, '-c', input.configFile];
  // Kafka 3.x/4.x ship the tool as kafka.tools.StorageTool in kafka_2.13; newer
  // releases may move it to org.apache.kafka.tools, so fall back to that name.
  let last: RunResult | undefined;
  for (const mainClass of ['kafka.tools.StorageTool', 'org.apache.kafka.tools.StorageTool']) {
    try {
      last = await run(input.javaBin, [...common, mainClass, ...formatArgs], { timeoutMs: 120_000 });
    } catch (err) {
      throw new Error(`could not run Java (\`${input.javaBin}\`): ${(err as Error).message}; install Java 17+ or pass javaBin`);
    }
    await writeFile(input.logFile, `--- ${mainClass} format ---\n${last.output}\n`, { flag: 'a' });
    if (last.code === 0) return;
    if (!/Could not find or load main class/.test(last.output)) break;
  }
  throw new Error(`formatting KRaft storage failed (exit ${last?.code ?? last?.signal}):\n${lastLines(last?.output ?? '', 30)}`);
}

async function waitUntilReady(input: {
  brokers: string[];
  child: ChildProcess;
  timeoutMs: number;
  logFile: string;
}): Promise<void> {
  const deadline = Date.now() + input.timeoutMs;
  let lastError = 'no attempt made';
  const exited = () => input.child.exitCode !== null || input.child.signalCode !== null;
  while (Date.now() < deadline) {
    if (exited()) {
      throw new Error(
        `Kafka broker exited during startup (code ${input.child.exitCode ?? input.child.signalCode}). ` +
          `Last lines of ${input.logFile}:\n${readLogTail(input.logFile)}`,
      );
    }
    const kafka = new Kafka({
      clientId: 'voidtracker-kafka-readiness',
      brokers: input.brokers,
      logLevel: KafkaLogLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: 3_000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
      lastError = 'cluster has no registered broker/controller yet';
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(300);
  }
  throw new Error(
    `Kafka broker on ${input.brokers.join(',')} not ready after ${input.timeoutMs} ms (last error: ${lastError}). ` +
      `Last lines of ${input.logFile}:\n${readLogTail(input.logFile)}`,
  );
}

// ---------------------------------------------------------------------------
// public entry point

/**
 * Resolve (or reuse) the Kafka jars, format a fresh KRaft data dir and start a
 * single-node broker on 127.0.0.1. Resolves once clients can talk to it.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const progress = options.progress ?? defaultProgress;
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const javaBin = options.javaBin ?? 'java';
  const logLevel = options.logLevel ?? 'info';
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const defaultStopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  const owner = `pid${process.pid}`;

  const classpath = await resolveKafkaClasspath({ ...options, kafkaVersion, progress });

  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'voidtracker-kafka-')));
  await mkdir(workDir, { recursive: true });
  const dataDir = join(workDir, 'data');
  const configFile = join(workDir, 'server.properties');
  const logFile = join(workDir, 'broker.log');

  let child: ChildProcess | undefined;
  let stopped = false;

  if (ownsWorkDir) {
    installExitHook();
    ownedWorkDirs.add(workDir);
  }
  const removeWorkDir = async () => {
    if (!ownsWorkDir) return;
    await rm(workDir, { recursive: true, force: true });
    ownedWorkDirs.delete(workDir);
  };

  let port: number;
  let controllerPort: number;
  let clusterId: string;
  try {
    if (existsSync(join(dataDir, 'meta.properties'))) {
      throw new Error(`${workDir} already holds a formatted broker; pass an empty or new workDir`);
    }
    const picked = await freePorts(2);
    port = options.port ?? picked[0]!;
    controllerPort = options.controllerPort ?? (picked[1] === port ? picked[0]! : picked[1]!);
    clusterId = newClusterId();
    await writeFile(
      configFile,
      serverProperties({
        port,
        controllerPort,
        dataDir,
        autoCreateTopics: options.autoCreateTopics ?? false,
        numPartitions: options.numPartitions ?? 1,
        extra: options.serverProperties ?? {},
      }),
    );
    const formatStarted = Date.now();
    progress(`formatting KRaft storage in ${dataDir}…`);
    await runStorageFormat({ javaBin, classpath, configFile, clusterId, logFile, logLevel, owner });
    progress(`formatted in ${seconds(formatStarted)} s`);
  } catch (err) {
    await removeWorkDir();
    throw err;
  }

  const brokers = [`127.0.0.1:${port}`];
  // C1 only: on two cores a fresh broker spent half its CPU in the C2 compiler for minutes (7 of
  // 14 ms per order at 10 orders/s, thread CPU from /proc); C1's code is slower per request but the
  // compiling stops (docs/performance.md, round five). A long-lived broker may pass
  // `-XX:TieredStopAtLevel=4` in jvmArgs, which come after and win.
  const args = [...jvmArgs(options.maxHeap ?? '512m', logLevel, ['-XX:TieredStopAtLevel=1', ...(options.jvmArgs ?? [])], owner), '-cp', classpath, 'kafka.Kafka', configFile];

  const launch = async (what: string): Promise<void> => {
    const started = Date.now();
    progress(`${what} Kafka ${kafkaVersion} broker on ${brokers[0]} (controller 127.0.0.1:${controllerPort})…`);
    const fd = openSync(logFile, 'a');
    let proc: ChildProcess;
    try {
      proc = spawn(javaBin, args, { cwd: workDir, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    // Surface spawn errors (e.g. ENOENT) through the readiness check instead of crashing.
    const spawnError = new Promise<never>((_, reject) => proc.once('error', reject));
    spawnError.catch(() => {});
    trackChild(proc);
    killWithParent(proc);
    child = proc;
    try {
      await Promise.race([waitUntilReady({ brokers, child: proc, timeoutMs: startTimeoutMs, logFile }), spawnError]);
    } catch (err) {
      await killChild(proc, 5_000);
      child = undefined;
      throw err;
    }
    progress(`started on ${brokers[0]} in ${seconds(started)} s (log: ${logFile})`);
  };

  const killChild = async (proc: ChildProcess, timeoutMs: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    // pid undefined: spawn itself failed, there is nothing to kill.
    if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    if (await waitForExit(proc, timeoutMs)) return;
    progress(`broker did not exit ${timeoutMs} ms after ${signal}; sending SIGKILL`);
    proc.kill('SIGKILL');
    await waitForExit(proc, 10_000);
  };

  const stopBroker = async (stopOptions: StopBrokerOptions = {}): Promise<void> => {
    const proc = child;
    if (!proc) return;
    const started = Date.now();
    const signal = stopOptions.signal ?? 'SIGTERM';
    await killChild(proc, stopOptions.timeoutMs ?? defaultStopTimeoutMs, signal);
    if (child === proc) child = undefined;
    progress(`broker on ${brokers[0]} stopped (${signal}) in ${seconds(started)} s`);
  };

  const startAgain = async (): Promise<void> => {
    if (stopped) throw new Error('broker was stopped for good with stop(); start a new one');
    if (child && child.exitCode === null && child.signalCode === null) throw new Error('broker is already running');
    child = undefined; // it may have died on its own
    await launch('restarting');
  };

  try {
    await launch('starting');
  } catch (err) {
    await removeWorkDir();
    throw err;
  }

  return {
    brokers,
    port,
    controllerPort,
    kafkaVersion,
    clusterId,
    workDir,
    logFile,
    get pid() {
      return child?.pid;
    },
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    stopBroker,
    startAgain,
    restart: async (stopOptions) => {
      await stopBroker(stopOptions);
      await startAgain();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopBroker();
      await removeWorkDir();
    },
    logTail: (lines = 40) => readLogTail(logFile, lines),
  };
}
