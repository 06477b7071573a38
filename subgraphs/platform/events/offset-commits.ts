/** The next offset to read on one partition (Kafka commits "where to resume", the last handled + 1). */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface OffsetCommits {
  /** A batch up to `lastOffset` is handled: its position is committed with the next flush. */
  handled(topic: string, partition: number, lastOffset: string): void;
  /** Commits what is pending now (a member leaving); resolves when that commit (or its failure) is done. */
  flush(): Promise<void>;
}

/**
 * Commits a member's positions at most once per `intervalMs`, and whatever is pending when it
 * leaves, instead of once per batch: a commit is a broker request for every group and every batch,
 * which at a few orders a second was most of what the broker did. Committing late only means that
 * after a crash or a rebalance a few handled records come again, which the consumers' inbox turns
 * into no-ops (inbox.ts). A failed commit (the group rebalanced meanwhile) is reported and dropped
 * for the same reason: the next owner of the partition resumes from the last commit that held.
 */
export function offsetCommits(
  commit: (offsets: PartitionOffset[]) => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): OffsetCommits {
  const pending = new Map<string, PartitionOffset>();
  let timer: NodeJS.Timeout | undefined;
  // One commit at a time, in order: a later position is never overwritten by an earlier one.
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size) {
      const offsets = [...pending.values()];
      pending.clear();
      chain = chain.then(() => commit(offsets)).catch(onError);
    }
    return chain;
  };
  return {
    handled(topic, partition, lastOffset) {
      pending.set(`${topic}\u0000${partition}`, { topic, partition, offset: (BigInt(lastOffset) + 1n).toString() });
      timer ??= setTimeout(() => void flush(), intervalMs);
    },
    flush,
  };
}
