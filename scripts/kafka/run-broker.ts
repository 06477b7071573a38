/**
 * Start a local single-node Kafka broker and keep it running until Ctrl-C.
 *
 *   npx tsx scripts/kafka/run-broker.ts
 *
 * Prints `KAFKA_BROKERS=127.0.0.1:PORT` on stdout (progress goes to stderr), so
 * `eval "$(npx tsx scripts/kafka/run-broker.ts | head -1)"` style wrappers work.
 *
 * Environment (all optional):
 *   KAFKA_VERSION             Kafka release from Maven Central (default: broker.ts DEFAULT_KAFKA_VERSION)
 *   KAFKA_PORT                client port on 127.0.0.1 (default: a free port)
 *   KAFKA_CONTROLLER_PORT     KRaft controller port (default: a free port)
 *   KAFKA_HEAP                max JVM heap, e.g. 1g (default 512m)
 *   KAFKA_AUTO_CREATE_TOPICS  "true" to enable auto.create.topics.enable (default false)
 *   KAFKA_NUM_PARTITIONS      num.partitions (default 1)
 *   KAFKA_LOG_LEVEL           broker log level: error|warn|info|debug|trace (default info)
 *   KAFKA_WORK_DIR            keep server.properties/data/log here instead of a temp dir (not deleted on exit)
 *   JAVA_HOME                 use $JAVA_HOME/bin/java instead of `java` from PATH
 *   MVN                       Maven executable (default `mvn`)
 */
import { join } from 'node:path';
import { startKafkaBroker, type BrokerLogLevel, type KafkaBrokerOptions } from './broker.ts';

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`[kafka] ignoring ${name}=${raw}: not a non-negative integer\n`);
    return undefined;
  }
  return value;
}

function optionsFromEnv(): KafkaBrokerOptions {
  const env = process.env;
  const logLevels: BrokerLogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];
  const logLevel = env.KAFKA_LOG_LEVEL as BrokerLogLevel | undefined;
  return {
    kafkaVersion: env.KAFKA_VERSION || undefined,
    port: intFromEnv('KAFKA_PORT'),
    controllerPort: intFromEnv('KAFKA_CONTROLLER_PORT'),
    maxHeap: env.KAFKA_HEAP || undefined,
    autoCreateTopics: env.KAFKA_AUTO_CREATE_TOPICS === 'true' || env.KAFKA_AUTO_CREATE_TOPICS === '1',
    numPartitions: intFromEnv('KAFKA_NUM_PARTITIONS'),
    logLevel: logLevel && logLevels.includes(logLevel) ? logLevel : undefined,
    workDir: env.KAFKA_WORK_DIR || undefined,
    javaBin: env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : undefined,
    mavenBin: env.MVN || undefined,
  };
}

async function main(): Promise<void> {
  const broker = await startKafkaBroker(optionsFromEnv());
  process.stdout.write(`KAFKA_BROKERS=${broker.brokers.join(',')}\n`);
  process.stderr.write(`[kafka] running (pid ${broker.pid}); press Ctrl-C to stop\n`);

  let stopping = false;
  let firstSignalAt = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // The same Ctrl-C can arrive twice (terminal + npm relaying it); only a
      // later, deliberate second one means "give up waiting". The 'exit' hook
      // in broker.ts then SIGKILLs the JVM (the temp dir is left behind).
      if (Date.now() - firstSignalAt < 1000) return;
      process.stderr.write(`[kafka] ${signal} again, exiting immediately\n`);
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    clearInterval(watchdog);
    process.stderr.write(`[kafka] ${signal} received, stopping broker…\n`);
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[kafka] stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  // If the JVM dies on its own, say so and exit non-zero instead of idling.
  const watchdog = setInterval(() => {
    if (stopping || broker.isRunning()) return;
    clearInterval(watchdog);
    process.stderr.write(`[kafka] broker exited unexpectedly. Last log lines:\n${broker.logTail(30)}\n`);
    void broker.stop().finally(() => process.exit(1));
  }, 1000);
}

main().catch((err: unknown) => {
  process.stderr.write(`[kafka] ${(err as Error).message}\n`);
  process.exit(1);
});
