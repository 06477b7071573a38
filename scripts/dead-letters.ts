/**
 * Lists and replays dead letters on Kafka.
 *   npx tsx scripts/dead-letters.ts list|replay [--topic voidtracker.planning] [--group orders]
 *       [--id <eventId>]... [--since <ISO time>] [--dry-run]
 * Without --topic it looks at every domain's topic. Replay publishes each matching event once to
 * its original topic (same key, so same partition); the inboxes of groups that had handled it
 * absorb the copy. The bus lives inside the running process, so there is nothing to reach here.
 * Exit codes: 0 done, 1 failed, 2 bad arguments or no Kafka configured.
 */
import { DOMAINS, type Env } from '../subgraphs/platform/config.ts';
import { listDeadLetters, replayDeadLetters, type DeadLetter } from '../subgraphs/platform/events/dead-letters.ts';
import { topicFor } from '../subgraphs/platform/events/envelope.ts';
import { createEventTransport } from '../subgraphs/platform/events/runtime.ts';
import { isDeadLetterTopic } from '../subgraphs/platform/events/transport.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { processIo, runWhenEntry, scriptConfig, table, type Io } from './lib/cli.ts';
import { UsageError } from './lib/command-line.ts';

export const USAGE = `usage: dead-letters list|replay [--topic <topic>] [--group <group>] [--id <eventId>]... [--since <ISO time>] [--dry-run]

  list     print the dead letters of the topic(s)
  replay   publish them to their original topic again (--dry-run: only show what would go)

  --topic  a source topic such as voidtracker.planning (default: every domain's topic)
  --group  only what this consumer group gave up on
  --id     only this event id (repeat, or separate with commas)
  --since  only what was dead-lettered at or after this time
  --dry-run  with replay: change nothing`;

export interface Options {
  command: 'list' | 'replay';
  topics: string[] | undefined;
  group: string | undefined;
  eventIds: string[] | undefined;
  since: Date | undefined;
  dryRun: boolean;
}


export function parseArgs(argv: readonly string[]): Options | 'help' {
  const options: Options = { command: 'list', topics: undefined, group: undefined, eventIds: undefined, since: undefined, dryRun: false };
  let command: string | undefined;
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--') || !v.trim()) throw new UsageError(`${flag} needs a value`);
    return v.trim();
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '--topic': {
        const topic = value(i++, a);
        if (!/^[A-Za-z0-9._-]+$/.test(topic)) throw new UsageError(`--topic: not a topic name: ${topic}`);
        // The dead-letter topic names the same thing as its source topic.
        options.topics = [...(options.topics ?? []), isDeadLetterTopic(topic) ? topic.slice(0, -'.dlq'.length) : topic];
        break;
      }
      case '--group':
        if (options.group !== undefined) throw new UsageError('--group given twice');
        options.group = value(i++, a);
        break;
      case '--id':
        options.eventIds = [
          ...(options.eventIds ?? []),
          ...value(i++, a)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ];
        break;
      case '--since': {
        const raw = value(i++, a);
        const since = new Date(raw);
        if (Number.isNaN(since.getTime())) throw new UsageError(`--since: not a time: ${raw}`);
        options.since = since;
        break;
      }
      case '--dry-run':
        options.dryRun = true;
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (command !== undefined) throw new UsageError(`unexpected argument ${a}`);
        command = a;
    }
  }
  if (command === undefined) throw new UsageError('say list or replay');
  if (command !== 'list' && command !== 'replay') throw new UsageError(`unknown command ${command} (list or replay)`);
  if (options.dryRun && command !== 'replay') throw new UsageError('--dry-run only goes with replay');
  options.command = command;
  return options;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const HEADERS = ['event id', 'type', 'subject', 'group', 'attempts', 'failed at', 'error'];
const row = (d: DeadLetter, note?: string): string[] => [
  d.envelope?.id ?? `(malformed @${d.record.partition}/${d.record.offset})`,
  d.envelope?.type ?? '-',
  d.envelope?.subject ?? (d.record.key || '-'),
  d.group || '-',
  String(d.attempts),
  d.failedAt || '-',
  clip(note ?? (d.error || d.decodeError || ''), 120),
];

export async function main(argv: readonly string[], env: Env = process.env, io: Io = processIo()): Promise<number> {
  let options: Options;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.out(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`dead-letters: ${error.message}\n${USAGE}`);
    return 2;
  }
  const config = scriptConfig(env, io, 'dead-letters');
  if (!config) return 2;
  if (config.events.transport !== 'kafka') {
    io.err(
      'dead-letters: the configured transport is the in-process bus: its dead letters live inside the running ' +
        'graph process and are gone with it. Set KAFKA_BROKERS to reach a Kafka cluster.',
    );
    return 2;
  }

  const topics = options.topics ?? DOMAINS.map(topicFor);
  const filter = { group: options.group, eventIds: options.eventIds, since: options.since };
  // kafkajs's own chatter only when asked for; the table and progress are what this tool prints.
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'silent', { tool: 'dead-letters' });
  io.err(`dead-letters: connecting to ${config.events.kafkaBrokers.join(',')}…`);
  let transport;
  try {
    transport = await createEventTransport(config, logger, 'dead-letters');
  } catch (error) {
    io.err(`dead-letters: cannot reach Kafka: ${(error as Error).message}`);
    return 1;
  }
  try {
    let total = 0;
    for (const [n, topic] of topics.entries()) {
      io.err(`dead-letters: [${n + 1}/${topics.length}] reading ${topic}.dlq…`);
      if (options.command === 'list') {
        const letters = await listDeadLetters(transport, topic, filter);
        total += letters.length;
        io.err(`dead-letters: ${letters.length} dead letter(s) on ${topic}.dlq`);
        if (letters.length) {
          io.out(`${topic}.dlq`);
          for (const line of table(HEADERS, letters.map((d) => row(d)))) io.out(line);
          io.out('');
        }
        continue;
      }
      const result = await replayDeadLetters(transport, topic, { ...filter, dryRun: options.dryRun });
      total += result.replayed.length;
      const verb = options.dryRun ? 'would replay' : 'replayed';
      io.err(`dead-letters: ${verb} ${result.replayed.length}, skipped ${result.skipped.length} from ${topic}.dlq`);
      const rows = [
        ...result.replayed.map((d) => row(d, `${verb} to ${d.originalTopic}`)),
        ...result.skipped.map((s) => row(s.deadLetter, `skipped: ${s.reason}`)),
      ];
      if (rows.length) {
        io.out(`${topic}.dlq`);
        for (const line of table(HEADERS.slice(0, -1).concat('outcome'), rows)) io.out(line);
        io.out('');
      }
    }
    io.err(
      options.command === 'list'
        ? `dead-letters: ${total} dead letter(s) in all`
        : `dead-letters: ${options.dryRun ? 'would replay' : 'replayed'} ${total} event(s) in all${options.dryRun ? ' (dry run, nothing published)' : ''}`,
    );
    return 0;
  } catch (error) {
    io.err(`dead-letters: ${(error as Error).message}`);
    return 1;
  } finally {
    await transport.close();
  }
}

runWhenEntry(import.meta.url, 'dead-letters', main);
