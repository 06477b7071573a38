import { startKafkaBroker } from './broker.ts';
import { rmSync } from 'node:fs';
const quiet = () => {};
async function once(label: string, opts: Parameters<typeof startKafkaBroker>[0]) {
  const t = Date.now();
  const b = await startKafkaBroker({ ...opts, progress: quiet });
  const up = Date.now() - t;
  let t2 = Date.now(); await b.stopBroker(); const stopMs = Date.now() - t2;
  t2 = Date.now(); await b.startAgain(); const again = Date.now() - t2;
  t2 = Date.now(); await b.restart({ signal: 'SIGKILL' }); const crash = Date.now() - t2;
  t2 = Date.now(); await b.stop(); const fin = Date.now() - t2;
  console.log(`${label}: start ${up} ms | stopBroker ${stopMs} | startAgain ${again} | SIGKILL restart ${crash} | stop ${fin}`);
}
rmSync('/tmp/m2cold', { recursive: true, force: true }); rmSync('/tmp/cpcold', { recursive: true, force: true });
await once('cold ~/.m2 + no classpath cache', { cacheDir: '/tmp/cpcold', mavenArgs: ['-Dmaven.repo.local=/tmp/m2cold'] });
rmSync('/tmp/m2cold', { recursive: true, force: true }); rmSync('/tmp/cpcold', { recursive: true, force: true });
for (let i = 0; i < 2; i++) { rmSync('/tmp/cpwarm', { recursive: true, force: true }); await once('warm ~/.m2, no classpath cache', { cacheDir: '/tmp/cpwarm' }); }
rmSync('/tmp/cpwarm', { recursive: true, force: true });
for (let i = 0; i < 3; i++) await once('cached classpath', {});
