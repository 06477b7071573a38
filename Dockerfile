# One image for every VoidTracker process; SERVICE picks which one runs:
#   iam | orders | gateway   (docker-compose.yml sets it per container)
FROM node:22-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0

COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY subgraphs ./subgraphs
# The postinstall step generates each domain's Prisma client from prisma/.
RUN npm ci --omit=dev --ignore-scripts \
 && PRISMA_SCHEMA_ENGINE_BINARY=/usr/local/bin/node node --import tsx scripts/generate.ts

COPY gateway ./gateway
COPY schemas ./schemas
COPY persisted-queries ./persisted-queries
COPY supergraph.yaml tsconfig.json ./

USER node
ARG SERVICE=gateway
ENV SERVICE=${SERVICE}
# Each subgraph's server.ts and the gateway's server.ts start themselves when run directly.
CMD ["sh", "-c", "if [ \"$SERVICE\" = gateway ]; then exec node --import tsx gateway/server.ts; else exec node --import tsx subgraphs/$SERVICE/server.ts; fi"]
