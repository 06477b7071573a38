// Runs one exported function of a module on a worker thread and posts back its result, so that
// seconds of CPU work (the route optimizer) do not stall a subgraph's event loop. Plain JavaScript
// because a worker starts without a TypeScript loader: it registers tsx itself, then imports.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { moduleUrl, exportName, args } = workerData;
try {
  const module = await import(moduleUrl);
  const fn = module[exportName];
  if (typeof fn !== 'function') throw new Error(`${moduleUrl} exports no function ${exportName}`);
  parentPort.postMessage({ ok: true, value: await fn(...args) });
} catch (error) {
  // Own enumerable fields (an input error's list of field errors) travel with the name and message.
  parentPort.postMessage({ ok: false, error: { ...error, name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
}
