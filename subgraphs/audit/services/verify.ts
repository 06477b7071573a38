import { ChainChecker, GENESIS_HASH, type BrokenLink, type ChainLink } from '../domain/chain.ts';
import type { VerifyRange } from '../domain/log-filter.ts';
import type { AuditEntry, Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Reader = PrismaClient | Prisma.TransactionClient;

export interface ChainVerification {
  ok: boolean;
  checkedCount: number;
  /** The sequences actually checked (after clipping to what exists and was not pruned); null when none. */
  fromSequence: bigint | null;
  toSequence: bigint | null;
  headSequence: bigint;
  prunedThrough: bigint;
  firstBrokenLink: BrokenLink | null;
}

const PAGE = 1_000;

export const linkOf = (row: AuditEntry): ChainLink => ({ ...row, data: row.data as unknown });

/**
 * Re-computes every link of an organization's chain in the range, oldest first, a page at a time,
 * and reports the first broken one. The first link checked must follow its predecessor (or the
 * retention anchor, or genesis); a range that reaches the head must end on the head's hash.
 */
export async function verifyChain(db: Reader, orgId: string, range: VerifyRange): Promise<ChainVerification> {
  const chain = await db.auditChain.findUnique({ where: { orgId } });
  const headSequence = chain?.headSequence ?? 0n;
  const prunedThrough = chain?.prunedThrough ?? 0n;
  const empty = (): ChainVerification => ({ ok: true, checkedCount: 0, fromSequence: null, toSequence: null, headSequence, prunedThrough, firstBrokenLink: null });
  if (!chain) return empty();

  let from = maxOf(range.fromSequence ?? 1n, prunedThrough + 1n);
  let to = minOf(range.toSequence ?? headSequence, headSequence);
  if (range.range) {
    // Time maps onto sequences by recording time, which follows the chain's order.
    const first = await db.auditEntry.findFirst({ where: { orgId, recordedAt: { gte: range.range.from } }, orderBy: { sequence: 'asc' }, select: { sequence: true } });
    const last = await db.auditEntry.findFirst({ where: { orgId, recordedAt: { lt: range.range.to } }, orderBy: { sequence: 'desc' }, select: { sequence: true } });
    if (!first || !last) return empty();
    from = maxOf(from, first.sequence);
    to = minOf(to, last.sequence);
  }
  if (from > to) return empty();

  let prevHash: string;
  if (from === prunedThrough + 1n) prevHash = prunedThrough === 0n ? GENESIS_HASH : chain.anchorHash;
  else {
    const before = await db.auditEntry.findUnique({ where: { orgId_sequence: { orgId, sequence: from - 1n } }, select: { hash: true } });
    if (!before) return { ...empty(), ok: false, fromSequence: from, toSequence: to, firstBrokenLink: { sequence: from - 1n, entryId: null, reason: 'MISSING_ENTRY' } };
    prevHash = before.hash;
  }

  const checker = new ChainChecker({ sequence: from, prevHash });
  let cursor = from;
  pages: while (cursor <= to) {
    const rows = await db.auditEntry.findMany({ where: { orgId, sequence: { gte: cursor, lte: to } }, orderBy: { sequence: 'asc' }, take: PAGE });
    if (!rows.length) break;
    for (const row of rows) if (!checker.check(linkOf(row))) break pages;
    cursor = rows[rows.length - 1]!.sequence + 1n;
  }
  const broken = checker.finish(to, { sequence: headSequence, hash: chain.headHash });
  return { ok: !broken, checkedCount: checker.checked, fromSequence: from, toSequence: to, headSequence, prunedThrough, firstBrokenLink: broken ?? null };
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const minOf = (a: bigint, b: bigint) => (a < b ? a : b);
