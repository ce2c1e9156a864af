# syntax=docker/dockerfile:1
# Production image: build with every dependency, ship only Next's standalone output (server.js,
# the traced node_modules it needs, the static assets and public/), run as a non-root user.
#   docker build -t scalekit-next . && docker run --env-file .env -p 3000:3000 scalekit-next
# CI cannot run Docker; e2e/production.spec.ts lays out these COPY lines from the CI build and runs
# this CMD with this ENV through sign-in, refresh, sign-out and SIGTERM.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies too: the build needs TypeScript, Tailwind and the type packages.
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS builder
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# No secrets at build time: configuration is read and checked when the server starts.
RUN npx next build

FROM ${NODE_IMAGE} AS runner
WORKDIR /app
# HOSTNAME: Docker sets it to the container id, and server.js would listen on that name only.
# NEXT_MANUAL_SIG_HANDLE: SIGTERM runs the app's stop sequence (drain refreshes, flush, close Redis).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NEXT_MANUAL_SIG_HANDLE=true \
    PORT=3000 \
    HOSTNAME=0.0.0.0
# Owned by root, so the app cannot rewrite its own code; only Next's cache dir is writable.
COPY --from=builder /app/.next/standalone ./
COPY --from=builder /app/.next/static ./.next/static
COPY --from=builder /app/public ./public
RUN mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE 3000
# Liveness only (/api/health): a readiness failure (IdP or config) must not get the container
# restarted. Orchestrators route on /api/health/ready (docs/7-deploy.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
