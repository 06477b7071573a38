import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Graph } from '../graphql/client.ts';
import type { Session } from '../auth/session.ts';

export const GraphContext = createContext<Graph | null>(null);

export function useGraph(): Graph {
  const graph = useContext(GraphContext);
  if (!graph) throw new Error('useGraph outside <GraphContext>');
  return graph;
}

/** The current session; re-renders on sign-in, rotation and sign-out. */
export function useSession(): Session | null {
  const { session } = useGraph();
  return useSyncExternalStore(
    (onChange) => session.subscribe(onChange),
    () => session.current,
  );
}

/** The organization's locale and currency, for money and dates. */
export function useLocale(): { locale: string; currency: string } {
  const org = useSession()?.user.organization;
  return { locale: org?.locale ?? navigator.language, currency: org?.currency ?? 'EUR' };
}
