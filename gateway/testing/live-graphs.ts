import { availableBackends, availableTransports, startTestGraphOn, type Backend, type TestGraph, type TransportKind } from './harness.ts';

export interface LiveSetup {
  name: string;
  transport: TransportKind;
  backend: Backend;
}

/**
 * Where the subscription suite runs: the embedded graph (bus, PGlite) always, and Kafka on
 * PostgreSQL as deployed, each part when it can be had (under CI both must be).
 */
export async function liveSetups(): Promise<LiveSetup[]> {
  const [transports, backends] = await Promise.all([availableTransports('subscriptions'), availableBackends()]);
  const setups: LiveSetup[] = [{ name: 'bus on PGlite', transport: 'bus', backend: 'pglite' }];
  const backend: Backend = backends.includes('postgres') ? 'postgres' : 'pglite';
  if (transports.includes('kafka')) setups.push({ name: `Kafka on ${backend === 'postgres' ? 'PostgreSQL' : 'PGlite'}`, transport: 'kafka', backend });
  else if (backend === 'postgres') setups.push({ name: 'bus on PostgreSQL', transport: 'bus', backend });
  return setups;
}

/** The graph of a setup; a broker it had to start stops with it. */
export const startLiveGraph = (setup: LiveSetup): Promise<TestGraph> => startTestGraphOn(setup.transport, {}, setup.backend);
