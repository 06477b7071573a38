/**
 * Where the Kafka tests (and the benchmark) find a broker: KAFKA_BROKERS, or one started with
 * scripts/kafka/broker.ts. Missing Java/Maven skips, except under CI where it is a failure.
 */
import { join } from 'node:path';
import { checkKafkaPrerequisites, startKafkaBroker, type KafkaBroker } from './broker.ts';

export interface BrokerSource {
  external: string[];
  /** Why no broker can be had here (undefined: one can). */
  missing: string | undefined;
  inCi: boolean;
}

export async function brokerSource(env: Record<string, string | undefined> = process.env): Promise<BrokerSource> {
  const external = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const inCi = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  if (external.length) return { external, missing: undefined, inCi };
  const prerequisites = await checkKafkaPrerequisites(brokerOptions(env));
  return {
    external,
    missing: prerequisites.ok ? undefined : `${prerequisites.reason ?? 'unknown reason'} (set KAFKA_BROKERS to use a running broker)`,
    inCi,
  };
}

const brokerOptions = (env: Record<string, string | undefined>) => ({
  javaBin: env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : undefined,
  mavenBin: env.MVN || undefined,
  kafkaVersion: env.KAFKA_VERSION || undefined,
});

/** The bootstrap list, starting a broker when none is configured; `stop` ends what was started. */
export async function acquireBroker(
  source: BrokerSource,
  env: Record<string, string | undefined> = process.env,
): Promise<{ brokers: string[]; stop(): Promise<void> }> {
  if (source.external.length) return { brokers: source.external, stop: async () => {} };
  if (source.missing) throw new Error(`Kafka broker unavailable: ${source.missing}`);
  const broker: KafkaBroker = await startKafkaBroker({ ...brokerOptions(env), progress: () => {} });
  return { brokers: broker.brokers, stop: () => broker.stop() };
}
