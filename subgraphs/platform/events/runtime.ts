import { DOMAINS, type Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createBusTransport } from './bus-transport.ts';
import { topicFor } from './envelope.ts';
import { createKafkaTransport } from './kafka-transport.ts';
import type { EventTransport } from './transport.ts';

/**
 * The transport the configuration asks for. The bus lives in this process, so it only connects
 * subgraphs that run in one process (the embedded default): create it once and share it.
 */
export async function createEventTransport(config: Config, logger: Logger, clientId: string): Promise<EventTransport> {
  if (config.events.transport === 'bus') return createBusTransport({ partitions: config.events.partitions, logger });
  return createKafkaTransport({
    brokers: config.events.kafkaBrokers,
    clientId: `voidtracker-${clientId}`,
    // Every domain's topic exists from the start, so no reader races a topic being created.
    topics: DOMAINS.map(topicFor),
    partitions: config.events.partitions,
    replicationFactor: config.events.replicationFactor,
    consumer: { partitionsConsumedConcurrently: config.events.consumeConcurrency },
    logger,
    kafkaLogLevel: 'error',
  });
}
