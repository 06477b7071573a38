/**
 * Where the graph is: the page's own origin, since the gateway serves the built app at /app and
 * Vite's dev server proxies /graphql to a running graph (vite.config.ts).
 */
export const endpoints = {
  http: '/graphql',
  sse: '/graphql/stream',
  ws: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
};
