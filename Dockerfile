# Netia container image.
#
#   docker build -t netia .
#   docker run -p 4000:4000 -e SECRET_KEY_BASE=... -e DATABASE_URL=... netia
#
# Stages: build (full install, Next.js build) and prod-deps (production
# dependencies only) -> runtime (that workspace plus the Next.js build, run by
# Node with tsx as its loader, as the non-root user `netia`).
#
# scripts/docker-layout-test.sh performs these steps without a Docker engine
# and boots the result: keep the two in step when changing a stage.

# Node 24 (LTS): Node 20 is past its end of life, and on Node 24 the promise
# hooks Next.js' AsyncLocalStorage needed on Node 20 are gone, which takes a
# fifth off the server's CPU per chat message (bench/README.md). CI boots the
# assembled runtime layout with this major (.ci/run reads it from this line).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
# CI=true: pnpm never waits for a prompt during the build.
ENV CI=true \
    NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1
RUN npm install --global pnpm@10.34.9 && pnpm --version
WORKDIR /app

# Dependencies are fetched from the lockfile alone, so these layers are reused
# until pnpm-lock.yaml changes, whatever else changes.
FROM base AS build
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
# The web app and, first, every workspace package it depends on that has a build
# step; then the chat widget the server hands to host pages at /widget.js.
RUN pnpm --filter "@netia/web..." --filter @netia/widget run build \
 && test -f apps/web/.next/BUILD_ID \
 && test -f packages/widget/dist/widget.js \
 && rm -rf apps/web/.next/cache apps/web/.next/standalone

# The same workspace with production dependencies only: no compilers, test
# runners or CSS tooling beyond what runtime packages themselves require.
FROM base AS prod-deps
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --prod
COPY . .
RUN pnpm install --frozen-lockfile --offline --prod

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0 \
    NETIA_DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1
RUN groupadd --system --gid 1001 netia \
 && useradd --system --uid 1001 --gid netia --home-dir /home/netia --create-home \
      --shell /usr/sbin/nologin netia \
 && mkdir -p /data \
 && chown netia:netia /data
WORKDIR /app
# Sources, workspace links and production node_modules (includes the SQL
# migrations in packages/db/drizzle), owned by root: the app cannot modify itself.
COPY --from=prod-deps /app ./
COPY --from=build /app/apps/web/.next ./apps/web/.next
COPY --from=build /app/packages/widget/dist ./packages/widget/dist
# The embedded database's template: a first start without DATABASE_URL skips initdb.
COPY --from=build /app/packages/runtime/dist ./packages/runtime/dist
COPY docker-entrypoint.sh ./docker-entrypoint.sh
RUN chmod 0755 docker-entrypoint.sh \
 && test -f packages/db/drizzle/meta/_journal.json \
 && mkdir -p apps/web/.next/cache \
 && chown -R netia:netia apps/web/.next/cache

USER netia
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||4000}/api/health`).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["start"]
