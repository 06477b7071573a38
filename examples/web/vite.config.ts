import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The graph `npm run web:dev` talks to; /graphql (HTTP, graphql-ws) and /graphql/stream (SSE) are proxied. */
const graph = process.env.VT_GRAPH_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: import.meta.dirname,
  // The gateway serves the build at /app (gateway/web-app.ts).
  base: '/app/',
  plugins: [react()],
  // One bundle for a handful of screens (React, Apollo Client): no split is worth a round trip.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: { '/graphql': { target: graph, ws: true, changeOrigin: true } },
  },
});
