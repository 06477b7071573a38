import type { FormattedExecutionResult } from 'graphql';

/** One subscription over GraphQL-over-SSE (distinct connections mode), as a test or benchmark client sees it. */
export interface SseSubscription {
  /** The HTTP status the stream was answered with. */
  status: number;
  /** A refusal's JSON body (status ≠ 200). */
  refusal: { errors?: Array<{ message: string; extensions?: { code?: string } }> } | undefined;
  /** Each `event: next` payload, with when it arrived (performance.now()). */
  pushes: Array<{ result: FormattedExecutionResult; at: number }>;
  /** Resolves when the server sends `event: complete` or the stream ends. */
  ended: Promise<'complete' | 'closed'>;
  /** Called on each push as it arrives. */
  onPush?: (result: FormattedExecutionResult, at: number) => void;
  close(): void;
}

/**
 * Opens a subscription with a plain fetch and reads the event stream itself, so tests see the
 * wire (status codes, event names) and the benchmark can hold many streams cheaply.
 */
export async function sseSubscribe(
  streamUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<SseSubscription> {
  const abort = new AbortController();
  const res = await fetch(streamUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const sub: SseSubscription = {
    status: res.status,
    refusal: undefined,
    pushes: [],
    ended: Promise.resolve('closed'),
    close: () => abort.abort(),
  };
  if (res.status !== 200) {
    sub.refusal = (await res.json()) as SseSubscription['refusal'];
    return sub;
  }
  sub.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (event === 'complete') return 'complete';
          if (event === 'next') {
            const at = performance.now();
            const result = JSON.parse(data) as FormattedExecutionResult;
            sub.pushes.push({ result, at });
            sub.onPush?.(result, at);
          }
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
    return 'closed';
  })();
  sub.ended.catch(() => {});
  return sub;
}
