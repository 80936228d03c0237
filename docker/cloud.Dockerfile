# syntax=docker/dockerfile:1
# The cloud control plane with the operators' backoffice. Build from the repository root:
#   docker build -f docker/cloud.Dockerfile -t pos-fleet/cloud .

FROM node:20-bookworm-slim AS build
WORKDIR /src
# npm ci installs the whole workspace, better-sqlite3 (the edge's) included, which compiles from
# source where its prebuilt binary cannot be fetched; only this stage has the compilers.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The build generates the Prisma client, compiles the server and builds the backoffice.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 BACKOFFICE_DIR=/app/apps/backoffice/dist
WORKDIR /app
COPY --from=build --chown=node:node /src/package.json ./package.json
COPY --from=build --chown=node:node /src/node_modules ./node_modules
COPY --from=build --chown=node:node /src/dist ./dist
COPY --from=build --chown=node:node /src/prisma/migrations ./prisma/migrations
COPY --from=build --chown=node:node /src/apps/backoffice/dist ./apps/backoffice/dist
# The entrypoint runs the CMD (or the service's command) and parks on a final exit code instead of
# letting the restart policy loop on it (docker/app-entrypoint.sh, docs/deployment.md).
COPY --chmod=0755 docker/app-entrypoint.sh /usr/local/bin/app-entrypoint
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node's options as libs/testing/src/process/node-args.ts gives them to the tests and the demo
# (a larger young generation: docs/benchmarks.md, cloud); test/deploy checks that they agree.
ENTRYPOINT ["/usr/local/bin/app-entrypoint"]
CMD ["node", "--max-semi-space-size=32", "dist/apps/cloud/src/main.js"]
