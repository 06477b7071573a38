import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

/** The previous hash of an organization's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an entry says, as stored; the hash covers all of it. */
export interface EntryContent {
  id: string;
  orgId: string;
  sequence: bigint;
  eventId: string;
  eventType: string;
  source: string;
  subject: string;
  occurredAt: Date;
  recordedAt: Date;
  actorId: string | null;
  actorRoles: string[];
  entityType: string | null;
  entityId: string | null;
  relatedIds: string[];
  operation: string | null;
  outcome: string | null;
  requestId: string | null;
  traceparent: string | null;
  data: unknown;
}

/** A stored link: its content, the hash it claims, and the hash it claims to follow. */
export interface ChainLink extends EntryContent {
  prevHash: string;
  hash: string;
}

/** sha256 over the canonical JSON of the content with the previous hash: each link seals the one before. */
export function entryHash(content: EntryContent, prevHash: string): string {
  const { id, orgId, sequence, eventId, eventType, source, subject, occurredAt, recordedAt, actorId, actorRoles, entityType, entityId, relatedIds, operation, outcome, requestId, traceparent, data } = content;
  // Listed field by field, so a column added later does not silently change old hashes.
  const sealed = { id, orgId, sequence, eventId, eventType, source, subject, occurredAt, recordedAt, actorId, actorRoles, entityType, entityId, relatedIds, operation, outcome, requestId, traceparent, data, prevHash };
  return createHash('sha256').update(canonicalJson(sealed)).digest('hex');
}

export type BrokenReason = 'HASH_MISMATCH' | 'MISSING_ENTRY' | 'PREVIOUS_MISMATCH';

export interface BrokenLink {
  sequence: bigint;
  /** Null when the entry is missing. */
  entryId: string | null;
  reason: BrokenReason;
}

/**
 * Walks a chain in sequence order, one link at a time (so a long range can be read in pages),
 * and stops at the first broken link: a gap (MISSING_ENTRY), a link that does not follow the one
 * before (PREVIOUS_MISMATCH), or content that no longer matches its hash (HASH_MISMATCH).
 */
export class ChainChecker {
  private expectedSequence: bigint;
  private expectedPrev: string;
  private lastId: string | null = null;
  checked = 0;
  broken: BrokenLink | undefined;

  /** `start`: the first sequence to check and the hash it must follow (genesis, anchor or its predecessor's). */
  constructor(start: { sequence: bigint; prevHash: string }) {
    this.expectedSequence = start.sequence;
    this.expectedPrev = start.prevHash;
  }

  /** False once a broken link was found (stop reading). */
  check(link: ChainLink): boolean {
    if (this.broken) return false;
    if (link.sequence !== this.expectedSequence) {
      this.broken = { sequence: this.expectedSequence, entryId: null, reason: 'MISSING_ENTRY' };
      return false;
    }
    this.checked++;
    if (link.prevHash !== this.expectedPrev) {
      this.broken = { sequence: link.sequence, entryId: link.id, reason: 'PREVIOUS_MISMATCH' };
      return false;
    }
    if (entryHash(link, link.prevHash) !== link.hash) {
      this.broken = { sequence: link.sequence, entryId: link.id, reason: 'HASH_MISMATCH' };
      return false;
    }
    this.expectedSequence++;
    this.expectedPrev = link.hash;
    this.lastId = link.id;
    return true;
  }

  /**
   * After the last link read: entries up to `through` must all have been there, and when the
   * range reaches the head, the last one must be the one the chain's head committed to (so an
   * edit of the newest entry, hash recomputed, is caught too).
   */
  finish(through: bigint, head?: { sequence: bigint; hash: string }): BrokenLink | undefined {
    if (this.broken) return this.broken;
    if (this.expectedSequence <= through) {
      this.broken = { sequence: this.expectedSequence, entryId: null, reason: 'MISSING_ENTRY' };
    } else if (head && head.sequence === through && through >= 1n && this.checked > 0 && head.hash !== this.expectedPrev) {
      this.broken = { sequence: through, entryId: this.lastId, reason: 'HASH_MISMATCH' };
    }
    return this.broken;
  }
}
