/**
 * A task for the worker pool's tests: counts itself in shared memory while it runs, and holds its
 * thread until the test opens the gate, so the test can count what ran at once.
 * Cells: 0 running now, 1 most at once, 2 started in all, 3 the gate (1: open).
 */
export function hold(cells: SharedArrayBuffer): number {
  const c = new Int32Array(cells);
  const now = Atomics.add(c, 0, 1) + 1;
  Atomics.add(c, 2, 1);
  for (let most = Atomics.load(c, 1); now > most && Atomics.compareExchange(c, 1, most, now) !== most; most = Atomics.load(c, 1));
  while (Atomics.load(c, 3) === 0) Atomics.wait(c, 3, 0);
  Atomics.sub(c, 0, 1);
  return now;
}
