/**
 * A benchmark that fails in the way argv[2] says, after starting a child process the way the
 * real ones do (spawnTs, onBenchExit): throw, reject (unhandled), signal (waits to be
 * interrupted or killed), exit (process.exit without cleanups). Prints the child's pid first.
 */
import { onBenchExit } from './exit-cleanup.ts';
import { spawnTs } from './processes.ts';

const mode = process.argv[2];
const child = spawnTs('scripts/bench/exit-cleanup.idle.fixture.ts', process.env);
onBenchExit('the idle child', () => child.stop());
process.stdout.write(`child ${child.process.pid}\n`);
// The child is up before the failure, as a stack is before a benchmark fails.
await new Promise<void>((resolve) => child.process.stdout!.once('data', () => resolve()));
process.stdout.write('ready\n');
if (mode === 'throw') setTimeout(() => {
  throw new Error('forced failure');
}, 0);
else if (mode === 'reject') void Promise.reject(new Error('forced rejection'));
else if (mode === 'exit') process.exit(3);
else setInterval(() => {}, 1_000);
