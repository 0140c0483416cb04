#!/usr/bin/env bash
# Checks the container image without a Docker engine: performs the
# Dockerfile's build steps in temporary folders, assembles the runtime stage's
# file layout exactly as its COPY lines do, and boots it against a scratch
# Postgres database with the image's environment:
#
#   docker-entrypoint.sh db migrate / db rollback / db migrate
#   docker-entrypoint.sh              (the default command, in the background)
#   GET /api/health, /api/health/live and /widget.js, a sign-up, a widget message
#   SIGTERM: exit status 0 within 10 s, no ERROR line in any output
#
# Every stage works in the same folder ($WORK/app), as every stage of the
# image works in /app. When run as root, the server runs as uid 1001 with the
# code owned by root, like the image's user `netia`.
#
# Needs: git, pnpm, node, psql and a Postgres server (NETIA_TEST_POSTGRES_URL,
# default postgres://postgres@127.0.0.1:5432/postgres). Packages come from the
# local pnpm store (`pnpm fetch` fills what is missing), so it runs offline
# once `pnpm install` has run in the checkout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADMIN_URL=${NETIA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# The image's user: uid and gid 1001.
RUNTIME_UID=1001
STOP_TIMEOUT=10
BOOT_TIMEOUT=120

started=$SECONDS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/netia-layout.XXXXXX")
APP="$WORK/app"
DB_NAME="netia_layout_$(date +%s)_$$"
DB_CREATED=false
SERVER_PID=

step() {
  printf '\n==> %s (%ss)\n' "$*" "$((SECONDS - started))"
}

fail() {
  printf 'ERROR %s\n' "$*" >&2
  exit 1
}

cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$DB_CREATED" = true ]; then
    psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 \
      -c "drop database if exists \"$DB_NAME\" with (force)" >/dev/null 2>&1 ||
      printf 'netia-layout: could not drop database %s\n' "$DB_NAME" >&2
  fi
  rm -rf "$WORK"
  printf 'netia-layout: cleaned up; %ss in all\n' "$((SECONDS - started))"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Runs a command with only the given variables set, plus PATH and HOME (no
# NODE_ENV or CI leaking in from the caller), as a Docker build step or the
# container would.
clean_env() {
  env -i PATH="$PATH" HOME="${HOME:-/root}" "$@"
}

# The build stages' environment (the Dockerfile's `base` stage).
build_env() {
  clean_env CI=true NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 "$@"
}

# ---------------------------------------------------------------------------
# The Dockerfile must still be the one this script reproduces.
# ---------------------------------------------------------------------------

step "Dockerfile instructions this script reproduces"
expected_instructions=(
  'COPY pnpm-lock.yaml pnpm-workspace.yaml ./'
  'RUN pnpm fetch'
  'COPY . .'
  'RUN pnpm install --frozen-lockfile --offline'
  'RUN pnpm --filter "@netia/web..." --filter @netia/widget run build'
  'RUN pnpm fetch --prod'
  'RUN pnpm install --frozen-lockfile --offline --prod'
  'COPY --from=prod-deps /app ./'
  'COPY --from=build /app/apps/web/.next ./apps/web/.next'
  'COPY --from=build /app/packages/widget/dist ./packages/widget/dist'
  'COPY --from=build /app/packages/runtime/dist ./packages/runtime/dist'
  'COPY docker-entrypoint.sh ./docker-entrypoint.sh'
  'ENTRYPOINT ["/app/docker-entrypoint.sh"]'
  'CMD ["start"]'
)
# Lines without their continuation backslash.
dockerfile_lines=$(sed 's/[[:space:]]*\\$//' "$ROOT/Dockerfile")
for instruction in "${expected_instructions[@]}"; do
  grep -qxF -- "$instruction" <<<"$dockerfile_lines" ||
    fail "the Dockerfile no longer has the line: $instruction (update scripts/docker-layout-test.sh with it)"
done
copies=$(grep -c '^COPY ' "$ROOT/Dockerfile")
[ "$copies" -eq 9 ] ||
  fail "the Dockerfile has $copies COPY lines; this script reproduces 9 (update it)"
echo "all ${#expected_instructions[@]} instructions found; $copies COPY lines"

# ---------------------------------------------------------------------------
# The build context: the repository's files less what .dockerignore excludes.
# ---------------------------------------------------------------------------

# .dockerignore's patterns, in order ("!" re-includes).
mapfile -t IGNORE_PATTERNS < <(sed -e 's/[[:space:]]*$//' -e '/^#/d' -e '/^$/d' "$ROOT/.dockerignore")

# Whether one path (no leading ./) matches one .dockerignore pattern: the
# pattern matches the path itself or one of its parent folders. "**/" matches
# any number of folders, including none. The right-hand sides are globs, so
# they are unquoted on purpose.
# shellcheck disable=SC2053
pattern_matches() {
  local pattern=$1 path=$2 prefix='' part rest
  local -a parts
  IFS=/ read -r -a parts <<<"$path"
  for part in "${parts[@]}"; do
    prefix=${prefix:+$prefix/}$part
    if [[ $pattern == '**/'* ]]; then
      rest=${pattern#'**/'}
      if [[ $prefix == $rest || $prefix == */$rest ]]; then return 0; fi
    elif [[ $prefix == $pattern ]]; then
      return 0
    fi
  done
  return 1
}

# Docker's rule: the last matching pattern decides.
ignored() {
  local path=$1 result=1 pattern
  for pattern in "${IGNORE_PATTERNS[@]}"; do
    if [[ $pattern == '!'* ]]; then
      if pattern_matches "${pattern#!}" "$path"; then result=1; fi
    elif pattern_matches "$pattern" "$path"; then
      result=0
    fi
  done
  return "$result"
}

step "build context (git ls-files less .dockerignore)"
CONTEXT="$WORK/context"
mkdir -p "$CONTEXT"
included=0
excluded=0
: >"$WORK/context.list"
while IFS= read -r -d '' file; do
  [ -e "$ROOT/$file" ] || continue # deleted in the work tree
  if ignored "$file"; then
    excluded=$((excluded + 1))
  else
    printf '%s\0' "$file" >>"$WORK/context.list"
    included=$((included + 1))
  fi
done < <(git -C "$ROOT" ls-files -z --cached --others --exclude-standard)
tar -C "$ROOT" --null -T "$WORK/context.list" -cf - | tar -C "$CONTEXT" -xf -
echo "$included files in the context, $excluded left out by .dockerignore"
for must in Dockerfile .ci/run docs .git .env; do
  if [ -e "$CONTEXT/$must" ]; then fail "$must is in the build context; .dockerignore should exclude it"; fi
done
for must in docker-entrypoint.sh pnpm-lock.yaml pnpm-workspace.yaml apps/web/server.ts packages/db/drizzle/meta/_journal.json; do
  [ -e "$CONTEXT/$must" ] || fail "$must is missing from the build context"
done

# FROM base AS <stage>: COPY pnpm-lock.yaml pnpm-workspace.yaml, pnpm fetch
# [--prod], COPY . ., pnpm install --frozen-lockfile --offline [--prod].
install_stage() {
  mkdir -p "$APP"
  cp "$CONTEXT/pnpm-lock.yaml" "$CONTEXT/pnpm-workspace.yaml" "$APP/"
  (cd "$APP" && build_env pnpm fetch "$@")
  cp -a "$CONTEXT/." "$APP/"
  (cd "$APP" && build_env pnpm install --frozen-lockfile --offline "$@")
}

step "build stage: pnpm fetch, pnpm install --frozen-lockfile --offline"
install_stage
step "build stage: pnpm --filter @netia/web... --filter @netia/widget run build"
(cd "$APP" && build_env pnpm --filter "@netia/web..." --filter @netia/widget run build)
[ -f "$APP/apps/web/.next/BUILD_ID" ] || fail "the build left no apps/web/.next/BUILD_ID"
[ -f "$APP/packages/widget/dist/widget.js" ] || fail "the build left no packages/widget/dist/widget.js"
ls "$APP"/packages/runtime/dist/embedded-database-pglite-*.tar.gz >/dev/null ||
  fail "the build left no embedded database template in packages/runtime/dist"
rm -rf "$APP/apps/web/.next/cache" "$APP/apps/web/.next/standalone"
mv "$APP" "$WORK/build"

step "prod-deps stage: pnpm fetch --prod, pnpm install --frozen-lockfile --offline --prod"
install_stage --prod
mv "$APP" "$WORK/prod-deps"

step "runtime stage: assemble the layout"
mkdir -p "$APP"
# COPY --from=prod-deps /app ./
cp -a "$WORK/prod-deps/." "$APP/"
# COPY --from=build /app/apps/web/.next ./apps/web/.next
mkdir -p "$APP/apps/web/.next"
cp -a "$WORK/build/apps/web/.next/." "$APP/apps/web/.next/"
# COPY --from=build /app/packages/widget/dist ./packages/widget/dist
mkdir -p "$APP/packages/widget/dist"
cp -a "$WORK/build/packages/widget/dist/." "$APP/packages/widget/dist/"
# COPY --from=build /app/packages/runtime/dist ./packages/runtime/dist
mkdir -p "$APP/packages/runtime/dist"
cp -a "$WORK/build/packages/runtime/dist/." "$APP/packages/runtime/dist/"
# COPY docker-entrypoint.sh ./docker-entrypoint.sh
cp "$CONTEXT/docker-entrypoint.sh" "$APP/docker-entrypoint.sh"
# RUN chmod 0755 docker-entrypoint.sh && test -f ... && mkdir -p apps/web/.next/cache
chmod 0755 "$APP/docker-entrypoint.sh"
[ -f "$APP/packages/db/drizzle/meta/_journal.json" ] || fail "the runtime layout has no migrations"
mkdir -p "$APP/apps/web/.next/cache"
rm -rf "$WORK/build" "$WORK/prod-deps" "$CONTEXT"
for dev_only in typescript vitest @biomejs/biome turbo; do
  if [ -e "$APP/node_modules/$dev_only" ]; then
    fail "development dependency $dev_only is in the runtime layout"
  fi
done
LAYOUT_SIZE=$(du -sh "$APP" | cut -f1)
echo "runtime layout (/app in the image): $LAYOUT_SIZE"
du -sh "$APP/node_modules" "$APP/apps/web/.next" | sed 's|'"$APP"'/|  /app/|'

# ---------------------------------------------------------------------------
# Boot it.
# ---------------------------------------------------------------------------

step "scratch database $DB_NAME"
psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "create database \"$DB_NAME\"" >/dev/null
DB_CREATED=true
DATABASE_URL="${ADMIN_URL%/*}/$DB_NAME"

DATA_DIR="$WORK/data"
RUNTIME_HOME="$WORK/home"
mkdir -p "$DATA_DIR" "$RUNTIME_HOME"
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
SECRET=$(node -e 'console.log(require("crypto").randomBytes(64).toString("base64url"))')

# The image's user cannot write to its code: only to /data and the Next cache.
as_runtime_user=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
  chmod 0755 "$WORK"
  chown -R "$RUNTIME_UID:$RUNTIME_UID" "$DATA_DIR" "$RUNTIME_HOME" "$APP/apps/web/.next/cache"
  as_runtime_user=(setpriv "--reuid=$RUNTIME_UID" "--regid=$RUNTIME_UID" --clear-groups)
  echo "running as uid $RUNTIME_UID, code owned by root"
else
  echo "not root: running as $(id -un)"
fi

# The runtime stage's ENV, plus what `docker run -e` would add, then the
# entrypoint with the given arguments.
RUNTIME=("${as_runtime_user[@]}" env -i PATH="$PATH" HOME="$RUNTIME_HOME"
  NODE_ENV=production PORT="$PORT" HOST=0.0.0.0 NETIA_DATA_DIR="$DATA_DIR"
  NEXT_TELEMETRY_DISABLED=1 SECRET_KEY_BASE="$SECRET" DATABASE_URL="$DATABASE_URL"
  "$APP/docker-entrypoint.sh")

# Runs an entrypoint command; its output must have no ERROR line and contain $1.
entrypoint_step() {
  local expect=$1 log
  shift
  step "docker-entrypoint.sh $*"
  log="$WORK/entrypoint-$(printf '%s' "$*" | tr ' ' '-').log"
  if ! (cd "$APP" && exec "${RUNTIME[@]}" "$@") >"$log" 2>&1 </dev/null; then
    cat "$log"
    fail "docker-entrypoint.sh $* failed"
  fi
  cat "$log"
  if grep -n 'ERROR' "$log"; then fail "docker-entrypoint.sh $* printed an ERROR line"; fi
  grep -q "$expect" "$log" || fail "docker-entrypoint.sh $* did not print \"$expect\""
}

entrypoint_step "Applied migrations" db migrate
entrypoint_step "Rolled back" db rollback
entrypoint_step "Applied migrations" db migrate

step "docker-entrypoint.sh (default command) on port $PORT"
SERVER_LOG="$WORK/server.log"
# exec all the way down: the entrypoint execs Node, so $! is the server itself.
(cd "$APP" && exec "${RUNTIME[@]}") >"$SERVER_LOG" 2>&1 </dev/null &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"

# request METHOD PATH [JSON BODY] [HEADER: VALUE]: prints the status on the
# first line and the body on the next.
request() {
  node - "$@" <<'EOF'
const [method, url, body, header] = process.argv.slice(2);
const headers = { "content-type": "application/json" };
if (header) {
  const at = header.indexOf(":");
  headers[header.slice(0, at).trim()] = header.slice(at + 1).trim();
}
try {
  const res = await fetch(url, { method, headers, body: body || undefined });
  console.log(res.status);
  console.log(await res.text());
} catch (error) {
  console.log(0);
  console.log(String(error?.cause?.code ?? error));
}
EOF
}

# json FILE EXPRESSION: evaluates EXPRESSION on the JSON body (second line).
json() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const text = require("fs").readFileSync(process.argv[1], "utf8").split("\n").slice(1).join("\n");
    const it = JSON.parse(text);
    const value = new Function("it", `return (${process.argv[2]})`)(it);
    if (value === undefined || value === null) process.exit(1);
    console.log(typeof value === "string" ? value : JSON.stringify(value));
  ' "$1" "$2"
}

# expect_status CODE METHOD PATH [BODY] [HEADER]: the response must have CODE;
# the response is left in $WORK/response.
expect_status() {
  local code=$1
  shift
  request "$1" "$BASE$2" "${3:-}" "${4:-}" >"$WORK/response"
  local got
  got=$(head -n 1 "$WORK/response")
  if [ "$got" != "$code" ]; then
    cat "$WORK/response" >&2
    printf '\n--- server output ---\n' >&2
    tail -n 40 "$SERVER_LOG" >&2
    fail "$1 $2 answered $got, expected $code"
  fi
  printf '%s %s -> %s %s\n' "$1" "$2" "$got" "$(sed -n 2p "$WORK/response" | cut -c1-160)"
}

deadline=$((SECONDS + BOOT_TIMEOUT))
until [ "$(request GET "$BASE/api/health/live" | head -n 1)" = 200 ]; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$SERVER_LOG"
    fail "the server exited before answering /api/health/live"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    cat "$SERVER_LOG"
    fail "the server did not answer /api/health/live within ${BOOT_TIMEOUT}s"
  fi
  sleep 0.5
done
echo "listening after $((SECONDS - deadline + BOOT_TIMEOUT))s"

step "requests"
expect_status 200 GET /api/health
json "$WORK/response" 'it.database === "up" && it.status === "ok" ? "ok" : null' >/dev/null ||
  fail "/api/health does not report the database up"
expect_status 200 GET /api/health/live
# The chat widget's loader, which host pages fetch from this server.
expect_status 200 GET /widget.js

# The image's HEALTHCHECK command, as Docker would run it inside the container.
healthcheck=$(sed -n '/^HEALTHCHECK/,/CMD/{s/^.*CMD \(\[.*\]\)[[:space:]]*$/\1/p}' "$ROOT/Dockerfile")
[ -n "$healthcheck" ] || fail "no HEALTHCHECK CMD found in the Dockerfile"
mapfile -t healthcheck_argv < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$healthcheck")
(cd "$APP" && "${as_runtime_user[@]}" env -i PATH="$PATH" PORT="$PORT" "${healthcheck_argv[@]}") ||
  fail "the Dockerfile's HEALTHCHECK command failed against the running server"
echo "HEALTHCHECK ${healthcheck_argv[*]:0:2} ... -> exit 0"

# tRPC 11 over HTTP, no transformer: a mutation is POST /api/trpc/<path> with
# the input as the JSON body; the answer is {"result":{"data":...}}.
email="layout-$(date +%s)-$$@example.com"
expect_status 200 POST /api/trpc/auth.signUp \
  "{\"name\":\"Layout Test\",\"email\":\"$email\",\"password\":\"correct horse battery\",\"companyName\":\"Layout Test Inc\"}"
account_id=$(json "$WORK/response" 'it.result.data.account.id') || fail "sign-up returned no account id"

visitor="layout-visitor-$(date +%s%N)"
expect_status 200 POST /api/trpc/widget.identify \
  "{\"accountToken\":\"$account_id\",\"visitorId\":\"$visitor\"}"
token=$(json "$WORK/response" 'it.result.data.sessionToken') || fail "widget.identify returned no session token"

expect_status 200 POST /api/trpc/widget.sendMessage \
  "{\"body\":\"Hello from the runtime layout\",\"clientMessageId\":\"layout-$$\"}" \
  "x-netia-widget-token: $token"
conversation=$(json "$WORK/response" 'it.result.data.conversationId') || fail "widget.sendMessage returned no conversation"
json "$WORK/response" 'it.result.data.message.body === "Hello from the runtime layout" ? 1 : null' >/dev/null ||
  fail "widget.sendMessage did not echo the message"
# Without a widget token the same call is refused.
expect_status 401 POST /api/trpc/widget.sendMessage \
  "{\"body\":\"no token\",\"clientMessageId\":\"layout-none-$$\"}"

step "SIGTERM"
kill -TERM "$SERVER_PID"
stop_deadline=$((SECONDS + STOP_TIMEOUT))
while kill -0 "$SERVER_PID" 2>/dev/null; do
  if [ "$SECONDS" -ge "$stop_deadline" ]; then
    cat "$SERVER_LOG"
    fail "the server was still running ${STOP_TIMEOUT}s after SIGTERM"
  fi
  sleep 0.2
done
exit_status=0
wait "$SERVER_PID" || exit_status=$?
SERVER_PID=
echo "--- server output ---"
cat "$SERVER_LOG"
echo "---"
[ "$exit_status" -eq 0 ] || fail "the server exited with status $exit_status after SIGTERM, expected 0"
if grep -n 'ERROR' "$SERVER_LOG"; then fail "the server printed an ERROR line"; fi
grep -q "message.created conversation:$conversation" "$SERVER_LOG" ||
  fail "no log line says message.created conversation:$conversation"

step "runtime layout passed: $LAYOUT_SIZE in /app"
