import { describe, expect, it } from 'vitest';
import { PushQueue } from './queue.ts';

describe('PushQueue', () => {
  it('given a waiting reader, when pushed, then it gets the item; queued items come in order, then the end', async () => {
    let closed = 0;
    const q = new PushQueue<number>(10, () => closed++);
    const waiting = q.next();
    q.push(1);
    expect(await waiting).toEqual({ value: 1, done: false });
    q.push(2);
    q.push(3);
    q.end();
    expect([await q.next(), await q.next(), await q.next()]).toEqual([
      { value: 2, done: false },
      { value: 3, done: false },
      { value: undefined, done: true },
    ]);
    expect(closed).toBe(1);
  });

  it('given a reader that does not keep up, when more than max are queued, then the oldest are dropped', async () => {
    const q = new PushQueue<number>(2, () => {});
    for (const n of [1, 2, 3, 4]) q.push(n);
    expect([(await q.next()).value, (await q.next()).value]).toEqual([3, 4]);
  });

  it('given a reader that leaves, when return() is called, then a pending next ends, later pushes are ignored and onClose runs once', async () => {
    let closed = 0;
    const q = new PushQueue<number>(2, () => closed++);
    const pending = q.next();
    await q.return();
    q.push(5);
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await q.next()).toEqual({ value: undefined, done: true });
    q.end();
    expect(closed).toBe(1);
  });
});
