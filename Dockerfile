# syntax=docker/dockerfile:1

# One image for both processes: `npm run start:web` (default) and `npm run worker`
# (compose overrides the command). Build: docker build -t salestrack .

ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Dependencies: dev dependencies included, because the build needs them and the runtime
#    runs TypeScript entry points through tsx (scripts/start.ts, jobs/worker.ts).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# 2. Build: the runtime configuration is not known yet, so env validation is skipped here.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 SKIP_ENV_VALIDATION=1 NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# 3. Runtime: non-root, only what the web and worker processes read.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000 NEXT_TELEMETRY_DISABLED=1

COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/src ./src
COPY --from=build --chown=node:node /app/jobs ./jobs
COPY --from=build --chown=node:node /app/drizzle ./drizzle
COPY --from=build --chown=node:node /app/scripts ./scripts
COPY --from=build --chown=node:node /app/messages ./messages
COPY --from=build --chown=node:node /app/package.json /app/next.config.ts /app/tsconfig.json ./

# Writable data directory (embedded Postgres / uploads when no DATABASE_URL is given).
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 3000

# Node 24 ships fetch; no curl in the slim image. The worker service disables this check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["npm", "run", "start:web"]
