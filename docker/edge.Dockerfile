# syntax=docker/dockerfile:1
# The store hub and the store agent (one image, two services in docker-compose.edge.yml).
# Build from the repository root: docker build -f docker/edge.Dockerfile -t pos-fleet/edge .

FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 compiles from source where no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The server side only: the hub and the agent serve no backoffice.
RUN node scripts/build.mjs --server && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4001 EDGE_DATA_DIR=/data/edge AGENT_DATA_DIR=/data/agent
WORKDIR /app
COPY --from=build --chown=node:node /src/package.json ./package.json
COPY --from=build --chown=node:node /src/node_modules ./node_modules
COPY --from=build --chown=node:node /src/dist ./dist
# The data volume is initialised from this directory, so the non-root user owns it.
RUN mkdir -p /data/edge /data/agent && chown -R node:node /data
VOLUME ["/data"]
# The entrypoint runs the CMD (or the service's command) and parks on a final exit code instead of
# letting the restart policy loop on it (docker/app-entrypoint.sh, docs/deployment.md).
COPY --chmod=0755 docker/app-entrypoint.sh /usr/local/bin/app-entrypoint
USER node
EXPOSE 4001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/local/bin/app-entrypoint"]
CMD ["node", "--max-semi-space-size=4", "dist/apps/edge/src/main.js"]
