/**
 * Operation and client names come from clients: cap how many distinct ones become time series,
 * so a client inventing names cannot grow the metrics without bound. Later ones count as "other".
 */
export function boundedLabel(max: number) {
  const seen = new Set<string>();
  return (value: string | undefined | null, fallback: string) => {
    const v = (value || fallback).slice(0, 100);
    if (seen.has(v)) return v;
    if (seen.size >= max) return 'other';
    seen.add(v);
    return v;
  };
}

/**
 * The client's operation name behind a gateway fetch: Apollo Gateway names the operation it sends
 * a subgraph `<ClientOperation>__<subgraph>__<n>`.
 */
export function clientOperationName(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const parts = name.split('__');
  return parts.length >= 3 && /^\d+$/.test(parts.at(-1)!) ? parts.slice(0, -2).join('__') : name;
}
