/**
 * An async iterator fed by pushes: what a subscriber's transport reads from. Bounded: a client
 * that does not keep up loses its oldest pushes (each is a whole snapshot, so the newest tells
 * the current state), rather than growing the gateway's memory.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private done = false;

  constructor(
    private readonly max: number,
    private readonly onClose: () => void,
  ) {}

  get closed(): boolean {
    return this.done;
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length > this.max) this.items.shift();
  }

  /** No more pushes: the reader gets what is queued, then the end. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    if (this.waiting && !this.items.length) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** The reader leaves (client gone): drop what is queued. */
  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
