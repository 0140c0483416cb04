#!/usr/bin/env bash
# Entrypoint of the Netia container image.
#
#   (no command) | start   apply pending migrations, then run the server
#   run                    run the server (it applies pending migrations too)
#   worker                 apply pending migrations, then run background jobs only
#   db migrate             apply pending migrations
#   db rollback            revert the newest applied migration
#   db status              list migrations and whether each one is applied
#   db seed                add a demo account with sample conversations
#   secret                 print a new SECRET_KEY_BASE
#   help                   show this list
#
# Any other command that exists in the image runs as given (e.g. `sh`).
set -euo pipefail

# The script sits at the root of the workspace: /app in the image.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP_DIR="$ROOT/apps/web"

# Seconds to keep retrying while the database is unreachable at boot.
DB_WAIT_SECONDS=60
DB_RETRY_INTERVAL=3
# The netia command's exit status when the database cannot be reached.
EXIT_UNREACHABLE=3

say() {
  printf 'netia: %s\n' "$*"
}

usage() {
  sed -n '4,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# The netia command (apps/web/cli.ts), run by Node with tsx as its loader.
netia() {
  (cd "$APP_DIR" && node --import tsx cli.ts "$@")
}

run_server() {
  say "starting Netia on port ${PORT:-4000}"
  cd "$APP_DIR"
  # exec: Node becomes this process, so SIGTERM from the platform reaches it.
  exec node --import tsx server.ts
}

# Applies migrations; while the database is still coming up, waits for it.
migrate() {
  local deadline=$((SECONDS + DB_WAIT_SECONDS))
  local status
  say "applying database migrations"
  while true; do
    status=0
    netia db migrate || status=$?
    if [ "$status" -eq 0 ]; then
      return 0
    fi
    if [ "$status" -ne "$EXIT_UNREACHABLE" ] || [ "$SECONDS" -ge "$deadline" ]; then
      printf 'ERROR database migrations failed (exit status %s); Netia was not started\n' "$status" >&2
      exit "$status"
    fi
    say "database unreachable; retrying in ${DB_RETRY_INTERVAL}s"
    sleep "$DB_RETRY_INTERVAL"
  done
}

# A stop request during migrations ends the script once the current step is done.
trap 'exit 143' TERM
trap 'exit 130' INT

command=${1:-start}
case "$command" in
start)
  migrate
  run_server
  ;;
run)
  run_server
  ;;
db)
  case "${2:-}" in
  migrate)
    migrate
    ;;
  rollback | status | seed)
    cd "$APP_DIR"
    exec node --import tsx cli.ts db "$2"
    ;;
  *)
    printf 'ERROR unknown command "db %s"; use db migrate, db rollback, db status or db seed\n' "${2:-}" >&2
    exit 2
    ;;
  esac
  ;;
worker)
  migrate
  cd "$APP_DIR"
  exec node --import tsx cli.ts worker
  ;;
secret)
  cd "$APP_DIR"
  exec node --import tsx cli.ts secret
  ;;
help | -h | --help)
  usage
  ;;
*)
  if command -v "$command" >/dev/null 2>&1; then
    exec "$@"
  fi
  printf 'ERROR unknown command "%s"\n\n' "$command" >&2
  usage >&2
  exit 2
  ;;
esac
