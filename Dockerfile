# Netia container image.
#
#   docker build -t netia .
#   docker run -p 4000:4000 -e SECRET_KEY_BASE=... -e DATABASE_URL=... netia
#
# Stages: fetch (dependencies from the lockfile) -> build (full install, `pnpm
# build`) and prod-deps (production dependencies only) -> runtime (the
# workspace with production dependencies and the Next.js build, run by Node
# with tsx as its loader, as a non-root user).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1
RUN npm install --global pnpm@10.34.9 && pnpm --version
WORKDIR /app

# Every package the lockfile names, fetched into the store. This layer only
# changes with pnpm-lock.yaml, not with source or package.json edits.
FROM base AS fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

FROM fetch AS build
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm build \
 && test -f apps/web/.next/BUILD_ID \
 && rm -rf apps/web/.next/cache apps/web/.next/standalone

# The same workspace with production dependencies only (no TypeScript, test or
# build tooling).
FROM fetch AS prod-deps
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
