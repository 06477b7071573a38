import type { FormattedExecutionResult } from 'graphql';
import type { EventEnvelope } from '../../subgraphs/platform/events/envelope.ts';
import type { Logger } from '../../subgraphs/platform/logger.ts';
import type { Principal } from './authenticate.ts';
import { LIVE_CODES, LiveError } from './errors.ts';
import { errorCodes, type LiveExecutor } from './executor.ts';
import { ANY_KEY, LIVE_FIELDS } from './fields.ts';
import type { LiveOperation } from './operation.ts';
import { PushQueue } from './queue.ts';

export type LiveTransport = 'sse' | 'ws';

export interface HubMetrics {
  opened(transport: LiveTransport): void;
  closed(transport: LiveTransport): void;
  pushed(field: string, count: number): void;
}

interface Subscriber {
  queue: PushQueue<FormattedExecutionResult>;
  transport: LiveTransport;
  /** The last payload it was sent: an event that changes nothing it selected pushes nothing. */
  last: string | undefined;
}

/** Subscribers with the same credentials, field, arguments and selection: one execution serves them all. */
interface Group {
  id: string;
  fieldKey: string;
  principal: Principal;
  operation: LiveOperation;
  subscribers: Set<Subscriber>;
  running: boolean;
  /** An event arrived while running: run once more afterwards (however many arrived). */
  again: boolean;
}

export interface HubOptions {
  execute: LiveExecutor;
  logger: Logger;
  metrics?: HubMetrics;
  /** Pushes a slow subscriber may have queued before its oldest are dropped. Default 64. */
  maxQueued?: number;
  /** Subscriptions one user may have open at once, over both transports (GATEWAY_SUBSCRIPTIONS_PER_USER). Default 50. */
  maxPerUser?: number;
  /** Called with true when the first subscription opens and false when the last closes (the live feed follows it). */
  onDemand?(open: boolean): void;
}

/**
 * Matches domain events to subscriptions and pushes each concerned subscription the answer of its
 * query, run as the subscriber. Per group, runs are one at a time in event order, and events that
 * arrive during a run are folded into one more run, since each run reads the current state.
 */
export class LiveHub {
  /** field name → key → groups. */
  private readonly index = new Map<string, Map<string, Map<string, Group>>>();
  private readonly all = new Set<Subscriber>();
  /** Open subscriptions per user id. */
  private readonly perUser = new Map<string, number>();
  private closing = false;

  constructor(private readonly options: HubOptions) {
    for (const name of Object.keys(LIVE_FIELDS)) this.index.set(name, new Map());
  }

  get size(): number {
    return this.all.size;
  }

  subscribe(principal: Principal, operation: LiveOperation, transport: LiveTransport): PushQueue<FormattedExecutionResult> {
    const max = this.options.maxPerUser ?? 50;
    const open = this.perUser.get(principal.userId) ?? 0;
    // Every subscription costs a query per concerned event: one user's share of that is bounded.
    if (open >= max) throw new LiveError(LIVE_CODES.tooMany, `At most ${max} subscriptions may be open per user; close one first.`, { limit: max });
    const { field } = operation;
    const fieldKey = field.key(operation.args);
    const byKey = this.index.get(field.name)!;
    const groups = byKey.get(fieldKey) ?? new Map<string, Group>();
    byKey.set(fieldKey, groups);
    const id = JSON.stringify([principal.authorization, operation.queryText, operation.variables]);
    let group = groups.get(id);
    if (!group) {
      group = { id, fieldKey, principal, operation, subscribers: new Set(), running: false, again: false };
      groups.set(id, group);
    }
    const owner = group;
    const subscriber: Subscriber = {
      transport,
      last: undefined,
      queue: new PushQueue(this.options.maxQueued ?? 64, () => this.leave(owner, subscriber)),
    };
    if (this.closing) {
      subscriber.queue.end();
      return subscriber.queue;
    }
    group.subscribers.add(subscriber);
    this.all.add(subscriber);
    if (this.all.size === 1) this.options.onDemand?.(true);
    this.perUser.set(principal.userId, open + 1);
    this.options.metrics?.opened(transport);
    return subscriber.queue;
  }

  private leave(group: Group, subscriber: Subscriber) {
    if (!group.subscribers.delete(subscriber)) return;
    const left = (this.perUser.get(group.principal.userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(group.principal.userId, left);
    else this.perUser.delete(group.principal.userId);
    this.all.delete(subscriber);
    if (!this.all.size) this.options.onDemand?.(false);
    this.options.metrics?.closed(subscriber.transport);
    if (group.subscribers.size) return;
    const byKey = this.index.get(group.operation.field.name)!;
    const groups = byKey.get(group.fieldKey);
    groups?.delete(group.id);
    if (groups && !groups.size) byKey.delete(group.fieldKey);
  }

  /** An event from the feed: runs every concerned group of the event's tenant (never awaited by the feed). */
  dispatch(envelope: EventEnvelope): void {
    if (this.closing) return;
    for (const [name, byKey] of this.index) {
      if (!byKey.size) continue;
      const keys = LIVE_FIELDS[name]!.keysOf(envelope);
      const concerned = keys.includes(ANY_KEY) ? [...byKey.values()] : keys.flatMap((k) => (byKey.has(k) ? [byKey.get(k)!] : []));
      for (const groups of concerned) {
        for (const group of groups.values()) {
          // The query decides what the subscriber may see; another tenant's event need not even ask.
          if (group.principal.orgId === envelope.orgid) this.schedule(group);
        }
      }
    }
  }

  private schedule(group: Group) {
    if (group.running) {
      group.again = true;
      return;
    }
    group.running = true;
    void this.run(group).finally(() => (group.running = false));
  }

  private async run(group: Group) {
    do {
      group.again = false;
      const { operation, principal } = group;
      let result: FormattedExecutionResult;
      try {
        result = await this.options.execute(operation.query, operation.variables, principal.authorization);
      } catch (error) {
        this.options.logger.warn('live query failed', { field: operation.field.name, error: (error as Error).message });
        continue;
      }
      this.deliver(group, result);
    } while (group.again && group.subscribers.size && !this.closing);
  }

  private deliver(group: Group, result: FormattedExecutionResult) {
    const { operation } = group;
    if (errorCodes(result).includes('UNAUTHENTICATED')) {
      // The token expired (or its user was deactivated): say so once and end, as a query would refuse.
      for (const s of [...group.subscribers]) {
        s.queue.push({ errors: result.errors ?? [] });
        s.queue.end();
      }
      return;
    }
    const value = (result.data as Record<string, unknown> | null | undefined)?.[operation.responseKey];
    const payload = operation.field.payload(value, operation.args);
    // Null: not found, or not the subscriber's to see. A push would say more than the query does.
    if (payload === undefined) return;
    const serialized = JSON.stringify(payload);
    const push: FormattedExecutionResult = { data: { [operation.responseKey]: payload }, ...(result.errors ? { errors: result.errors } : {}) };
    let count = 0;
    for (const s of group.subscribers) {
      if (s.last === serialized) continue;
      s.last = serialized;
      s.queue.push(push);
      count++;
    }
    if (count) this.options.metrics?.pushed(operation.field.name, count);
  }

  /** Ends, with this error, the streams of every subscriber `refused` picks (a revoked token's). */
  endWhere(refused: (principal: Principal) => boolean, error: FormattedExecutionResult['errors']): void {
    for (const byKey of this.index.values()) {
      for (const groups of byKey.values()) {
        for (const group of groups.values()) {
          if (!refused(group.principal)) continue;
          for (const s of [...group.subscribers]) {
            s.queue.push({ errors: error ?? [] });
            s.queue.end();
          }
        }
      }
    }
  }

  /** Ends every stream (graceful shutdown must not wait on them). */
  close(): void {
    this.closing = true;
    for (const s of [...this.all]) s.queue.end();
  }
}
