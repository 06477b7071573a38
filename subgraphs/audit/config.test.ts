import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSlice } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { SubgraphDeps } from '../kernel/subgraph.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { auditConfig, type AuditSettings } from './config.ts';
import { createAuditServices } from './services/index.ts';

describe("audit's settings", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prunes hourly unless AUDIT_PRUNE_EVERY_MS says otherwise, and refuses an interval under a minute', () => {
    expect(parseSlice(auditConfig, {}).pruneEveryMs).toBe(3_600_000);
    expect(parseSlice(auditConfig, { AUDIT_PRUNE_EVERY_MS: '600000' }).pruneEveryMs).toBe(600_000);
    expect(() => parseSlice(auditConfig, { AUDIT_PRUNE_EVERY_MS: '10' })).toThrow(/AUDIT_PRUNE_EVERY_MS/);
  });

  it('runs the background prune at the configured interval', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const logger = { warn, info: vi.fn(), child: () => logger } as unknown as Logger;
    // A database that refuses every call: each background run logs one warning and carries on.
    const db = new Proxy({}, { get: () => { throw new Error('no database here'); } }) as unknown as PrismaClient;
    const settings = parseSlice(auditConfig, { AUDIT_PRUNE_EVERY_MS: '120000' });
    const services = await createAuditServices({ db, logger, settings } as unknown as SubgraphDeps<PrismaClient, AuditSettings>);
    try {
      await vi.advanceTimersByTimeAsync(119_999);
      expect(warn).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(warn).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      services.close();
    }
  });
});
