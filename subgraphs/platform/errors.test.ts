import { describe, expect, it } from 'vitest';
import { formatError, INTERNAL_MESSAGE } from './errors.ts';

const prismaLeak = {
  message: 'Invalid `prisma.order.create()` invocation in /app/subgraphs/orders/domain/x.ts:12 → 12 tx.order.create( … invalid byte sequence for encoding "UTF8": 0x00 (22021)',
  path: ['createOrder'],
  // What Apollo gives every unexpected throw before formatError sees it.
  extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: …'] },
};

describe('formatError', () => {
  it('given an unexpected error already coded INTERNAL_SERVER_ERROR, in production, then nothing of its message or extensions is left', () => {
    expect(formatError(prismaLeak, { production: true })).toEqual({ message: INTERNAL_MESSAGE, path: ['createOrder'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('given an error without a code, in production, then it is masked the same way', () => {
    expect(formatError({ message: 'connect ECONNREFUSED 10.0.0.7:5432' }, { production: true })).toEqual({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('given a client error, in production, then its message and field stay (only the stack goes)', () => {
    const bad = { message: 'input.pickup.lat: must be between -90 and 90', extensions: { code: 'BAD_USER_INPUT', field: 'input.pickup.lat', stacktrace: ['x'] } };
    expect(formatError(bad, { production: true })).toEqual({ message: bad.message, extensions: { code: 'BAD_USER_INPUT', field: 'input.pickup.lat' } });
  });

  it('given an unexpected error in development, then its message stays for the developer', () => {
    expect(formatError(prismaLeak, { production: false }).message).toBe(prismaLeak.message);
  });
});
