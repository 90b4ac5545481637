# syntax=docker/dockerfile:1
# The hotline-router image: `hotline serve` (the router, default) and every other CLI command
# (`hotline edge`, `hotline dialplan`, `hotline check`…) from one build.
#
# Two stages: the build stage compiles TypeScript and the native records driver (better-sqlite3
# builds from source: python3, make, g++), then drops the dev dependencies; the runtime stage
# carries only dist/, production node_modules and the files the CLI reads, and runs as the
# unprivileged `node` user. tini is PID 1 so SIGTERM reaches node, which drains as
# `hotline serve` does (new calls to the dialplan fallback, calls in progress get DRAIN_SECONDS).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# espeak-ng and sox: `hotline prompts` renders the registry's prompts to 8 kHz WAVs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini espeak-ng sox \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
RUN mkdir -p /app/data /app/prompts && chown node:node /app/data /app/prompts
USER node
# Inside a container the API listens on every interface of the container's own network; what
# is reachable from outside is decided by the ports the stack publishes.
ENV HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
EXPOSE 8080 8084
VOLUME ["/app/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/hotline.js"]
CMD ["serve"]
