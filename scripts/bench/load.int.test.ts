import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { percentile, runLoad } from './load.ts';

describe('the load generator', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 95)).toBe(10);
    expect(percentile(sorted, 10)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('counts answers and errors against a real server', async () => {
    let n = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        n++;
        res.writeHead(n % 5 === 0 ? 500 : 200).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const result = await runLoad({ url: `http://127.0.0.1:${port}/`, concurrency: 4, seconds: 0.3, body: () => '{}', headers: {} });
      expect(result.requests).toBe(n);
      expect(result.errors).toBe(Math.floor(n / 5));
      expect(result.p50).toBeGreaterThan(0);
      expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    } finally {
      server.close();
    }
  });
});
