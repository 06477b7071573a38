import { describe, expect, it } from 'vitest';
import { ChainChecker, entryHash, GENESIS_HASH, type ChainLink, type EntryContent } from './chain.ts';

const content = (sequence: number, data: unknown = { n: sequence }): EntryContent => ({
  id: `00000000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
  orgId: 'org',
  sequence: BigInt(sequence),
  eventId: `e${sequence}`,
  eventType: 'voidtracker.orders.order.created.v1',
  source: '/voidtracker/orders',
  subject: 'o1',
  occurredAt: new Date('2031-01-02T08:00:00.000Z'),
  recordedAt: new Date('2031-01-02T08:00:01.000Z'),
  actorId: null,
  actorRoles: [],
  entityType: 'Order',
  entityId: 'o1',
  relatedIds: [],
  operation: null,
  outcome: null,
  requestId: null,
  traceparent: null,
  data,
});

/** A valid chain of n links. */
function chain(n: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c = content(i);
    const hash = entryHash(c, prev);
    links.push({ ...c, prevHash: prev, hash });
    prev = hash;
  }
  return links;
}

const run = (links: ChainLink[], through = BigInt(links.length), head?: { sequence: bigint; hash: string }) => {
  const checker = new ChainChecker({ sequence: 1n, prevHash: GENESIS_HASH });
  for (const link of links) if (!checker.check(link)) break;
  return { broken: checker.finish(through, head), checked: checker.checked };
};

describe('the hash chain', () => {
  it('given an intact chain, then every link checks out', () => {
    const links = chain(5);
    expect(run(links, 5n, { sequence: 5n, hash: links[4]!.hash })).toEqual({ broken: undefined, checked: 5 });
  });

  it('given the same content with keys in another order, then the hash is the same', () => {
    expect(entryHash(content(1, { a: 1, b: 2 }), GENESIS_HASH)).toBe(entryHash(content(1, { b: 2, a: 1 }), GENESIS_HASH));
  });

  it('given an edited payload, then that entry is a HASH_MISMATCH', () => {
    const links = chain(5);
    links[2] = { ...links[2]!, data: { n: 999 } };
    expect(run(links).broken).toEqual({ sequence: 3n, entryId: links[2]!.id, reason: 'HASH_MISMATCH' });
  });

  it('given an edited entry whose hash was recomputed, then the next entry is a PREVIOUS_MISMATCH', () => {
    const links = chain(5);
    const forged = { ...links[2]!, actorId: 'someone-else' };
    links[2] = { ...forged, hash: entryHash(forged, forged.prevHash) };
    expect(run(links).broken).toEqual({ sequence: 4n, entryId: links[3]!.id, reason: 'PREVIOUS_MISMATCH' });
  });

  it('given a deleted entry, then its sequence is a MISSING_ENTRY', () => {
    const links = chain(5);
    links.splice(1, 1);
    expect(run(links).broken).toEqual({ sequence: 2n, entryId: null, reason: 'MISSING_ENTRY' });
  });

  it('given the newest entries deleted, then the first of them is missing', () => {
    const links = chain(5);
    expect(run(links.slice(0, 3), 5n).broken).toEqual({ sequence: 4n, entryId: null, reason: 'MISSING_ENTRY' });
  });

  it('given the newest entry forged with its hash recomputed, then it no longer matches the head', () => {
    const links = chain(3);
    const head = { sequence: 3n, hash: links[2]!.hash };
    const forged = { ...links[2]!, data: { n: 0 } };
    links[2] = { ...forged, hash: entryHash(forged, forged.prevHash) };
    expect(run(links, 3n, head).broken).toEqual({ sequence: 3n, entryId: links[2]!.id, reason: 'HASH_MISMATCH' });
  });
});
