import { z } from 'zod';
import { ConfigError, configSlice } from '../platform/config.ts';

/** Webhooks' own settings (the kernel parses them at start: SubgraphDefinition.config). */
export const webhooksConfig = configSlice(
  z.object({
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000).describe('One webhook POST is given up after this long (and counts as a failed attempt).'),
    WEBHOOK_RETRY_SCHEDULE: z.string().default('5s,5m,30m,2h,5h,10h,10h').describe('Waits between attempts after each failure (units ms, s, m, h); after the last the delivery fails.'),
    WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(0.5).default(0.2).describe('Each wait is spread by up to ± this fraction, so a recovering receiver is not hit by every retry at once.'),
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16).describe('Webhook POSTs in flight at once per process.'),
    WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2).describe('Webhook POSTs in flight at once per endpoint, so one slow endpoint cannot take every slot.'),
    WEBHOOK_POLL_MS: z.coerce
      .number()
      .int()
      .min(10)
      .max(600_000)
      .default(30_000)
      .describe('Longest sleep of the webhook dispatcher: it sleeps until the next retry is due, and new or re-enabled deliveries wake it; this bounds the wait for rows another process queued.'),
    WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('Finished webhook deliveries (and the inbox rows of their events) are deleted after this many days.'),
    WEBHOOK_PRUNE_EVERY_MS: z
      .coerce.number()
      .int()
      .min(60_000)
      .max(7 * 24 * 3_600_000)
      .default(3_600_000)
      .describe('How often each webhooks process deletes deliveries past `WEBHOOK_RETENTION_DAYS` (1 hour); more often keeps each delete small under heavy traffic.'),
    WEBHOOK_BLOCK_PRIVATE_NETWORKS: z
      .enum(['true', 'false'])
      .optional()
      .describe("Refuse loopback, private and link-local webhook targets (SSRF) in any IPv4/IPv6 spelling, at registration and after DNS at each attempt. Unset: on; `false` only as an explicit opt-out (test harnesses, a developer's local receiver; docs/webhooks.md)."),
    WEBHOOK_TENANT_CONCURRENCY: z
      .coerce.number()
      .int()
      .min(1)
      .max(1000)
      .default(4)
      .describe('Webhook POSTs one organization may have in flight per process, so its hung endpoints leave the other slots to other tenants; free slots go round-robin across organizations.'),
  }),
  (e): WebhooksConfig => ({
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    retryScheduleMs: parseSchedule(e.WEBHOOK_RETRY_SCHEDULE),
    jitter: e.WEBHOOK_RETRY_JITTER,
    concurrency: e.WEBHOOK_CONCURRENCY,
    endpointConcurrency: e.WEBHOOK_ENDPOINT_CONCURRENCY,
    tenantConcurrency: e.WEBHOOK_TENANT_CONCURRENCY,
    pollMs: e.WEBHOOK_POLL_MS,
    blockPrivateNetworks: e.WEBHOOK_BLOCK_PRIVATE_NETWORKS !== 'false',
    retentionDays: e.WEBHOOK_RETENTION_DAYS,
    pruneEveryMs: e.WEBHOOK_PRUNE_EVERY_MS,
  }),
);

export interface WebhooksConfig {
  /** One POST is abandoned after this long (WEBHOOK_TIMEOUT_MS, 10 s). */
  timeoutMs: number;
  /** Milliseconds to wait after the 1st, 2nd, … failure; a failure beyond the last ends the delivery (WEBHOOK_RETRY_SCHEDULE). */
  retryScheduleMs: number[];
  /** ± fraction applied to each wait (WEBHOOK_RETRY_JITTER, 0.2). */
  jitter: number;
  /** POSTs in flight per process (WEBHOOK_CONCURRENCY, 16) and per endpoint (WEBHOOK_ENDPOINT_CONCURRENCY, 2). */
  concurrency: number;
  endpointConcurrency: number;
  /** POSTs in flight per organization (WEBHOOK_TENANT_CONCURRENCY, 4); free slots go round-robin across organizations. */
  tenantConcurrency: number;
  /** Dispatcher's longest sleep (WEBHOOK_POLL_MS, 30 s); it wakes sooner when a retry is due or a row is queued here. */
  pollMs: number;
  /** Refuse loopback/private/link-local targets, before and after DNS (WEBHOOK_BLOCK_PRIVATE_NETWORKS; on unless explicitly `false`). */
  blockPrivateNetworks: boolean;
  /** Delivered and failed deliveries are kept this long (WEBHOOK_RETENTION_DAYS, 30). */
  retentionDays: number;
  /** Interval of the background prune (WEBHOOK_PRUNE_EVERY_MS, 1 hour). */
  pruneEveryMs: number;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `5s,5m,2h` → [5000, 300000, 7200000]; a malformed entry stops the start. */
function parseSchedule(value: string): number[] {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const out = entries.map((entry) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(entry);
    if (!match) throw new ConfigError(`Invalid configuration:\n  WEBHOOK_RETRY_SCHEDULE: "${entry}" is not a duration like 500ms, 5s, 5m or 2h`);
    return Number(match[1]) * DURATION_UNITS[match[2]!]!;
  });
  if (!out.length || out.length > 20) throw new ConfigError('Invalid configuration:\n  WEBHOOK_RETRY_SCHEDULE: 1 to 20 durations');
  return out;
}
