import { describe, expect, it } from 'vitest';
import { parseSlice, type Env } from '../platform/config.ts';
import { planningConfig } from './config.ts';

const settings = (env: Env) => parseSlice(planningConfig, env);

describe('configuration: optimizer pool', () => {
  it('bounds threads and the queue, and reads overrides', () => {
    const d = settings({}).optimizer;
    expect(d.workers).toBeGreaterThanOrEqual(1);
    expect(d.workers).toBeLessThanOrEqual(4);
    expect(d).toMatchObject({ queueLimit: 4, queueTimeoutMs: 5_000 });
    expect(settings({ OPTIMIZER_WORKERS: '2', OPTIMIZER_QUEUE_LIMIT: '0', OPTIMIZER_QUEUE_TIMEOUT_MS: '100' }).optimizer).toEqual({ workers: 2, queueLimit: 0, queueTimeoutMs: 100 });
    expect(() => settings({ OPTIMIZER_WORKERS: '0' })).toThrow(/OPTIMIZER_WORKERS/);
  });
});
