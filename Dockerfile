# syntax=docker/dockerfile:1

# One image for both processes. Node is PID 1's only child (compose adds tini with
# `init: true`) and is started directly, never through npm or a shell, so SIGTERM reaches it
# and it drains before exiting (src/server/main.ts, SHUTDOWN_TIMEOUT_SECONDS):
#   web (default): node --import tsx src/server/main.ts --web
#   worker:        node --max-old-space-size=192 --max-semi-space-size=8 --import tsx src/server/main.ts --worker
# The worker's flags are scripts/node-args.ts' (WORKER_HEAP_MB); compose.yaml spells them out.
#
# Build: docker build --build-arg APP_COMMIT=$(git rev-parse --short HEAD) -t salestrack .

ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Every dependency: the build needs the dev ones (TypeScript, Tailwind, PostCSS).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# 2. Production dependencies only: what the processes load. tsx is one of them (the server
#    runs its TypeScript entry points through it). Leaves out the dev tools and the `node`
#    devDependency's second Node binary.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# 3. Build: the runtime configuration is not known yet, so env validation is skipped here.
#    The build cache is dropped: it only speeds up the next build on this machine.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 SKIP_ENV_VALIDATION=1 NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build && rm -rf .next/cache

# 4. Runtime. Code and dependencies belong to root and are read-only for the `node` user the
#    processes run as; the only folder it may write is /app/.data (embedded Postgres and
#    local secrets, should the image ever be started without DATABASE_URL).
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000 NEXT_TELEMETRY_DISABLED=1

COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/src ./src
COPY --from=build /app/jobs ./jobs
COPY --from=build /app/drizzle ./drizzle
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/messages ./messages
COPY --from=build /app/package.json /app/next.config.ts /app/tsconfig.json ./

RUN mkdir -p /app/.data && chown node:node /app/.data

# Reported by /api/version. Declared last: a new commit only changes this layer.
ARG APP_COMMIT=""
ENV APP_COMMIT=${APP_COMMIT}

USER node
EXPOSE 3000

# Node 24 ships fetch; no curl in the slim image. The worker service disables this check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "tsx", "src/server/main.ts", "--web"]
