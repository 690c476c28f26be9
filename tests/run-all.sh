#!/usr/bin/env bash
# Runs every test of Etäpolku: unit and API tests on SQLite, the API tests again on PostgreSQL,
# and the browser tests in headless Chromium. On a fresh Debian machine, run as root, it first
# installs what is missing (chromium, postgresql, the aiosmtpd mail sink, npm packages).
#
#   tests/run-all.sh            everything
#   DATABASE_URL=postgres://…   use that PostgreSQL server instead of starting a throwaway one
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

step() { printf '\n==> [%4ds] %s\n' "$SECONDS" "$*"; }

# --- what the tests need from the system -------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${missing[*]} — install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  step "installing the aiosmtpd mail sink"
  python3 -m pip install --quiet aiosmtpd
fi
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
  step "installing the browser-test packages (npm ci; no browser download)"
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

# --- unit and API tests on the embedded SQLite ------------------------------------------------
step "cargo test --workspace (SQLite)"
cargo build -p etapolku-server --bin etapolku
env -u DATABASE_URL cargo test --workspace

# --- API tests on PostgreSQL ------------------------------------------------------------------
pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_dir/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT
if [ -z "${DATABASE_URL:-}" ]; then
  step "starting a throwaway PostgreSQL"
  pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
  pg_dir=$(mktemp -d /tmp/etapolku-pg.XXXXXX)
  chown postgres "$pg_dir" 2>/dev/null || { echo "need root or a postgres user to start PostgreSQL; set DATABASE_URL instead" >&2; exit 1; }
  port=55432
  su postgres -s /bin/sh -c "$pg_bin/initdb -D '$pg_dir/data' -A trust -U postgres -E UTF8 >/dev/null"
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_dir/data' -l '$pg_dir/log' -w -o \"-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null" \
    || { echo "PostgreSQL did not start; its log:" >&2; cat "$pg_dir/log" >&2; exit 1; }
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
fi
step "cargo test -p etapolku-tests (PostgreSQL)"
cargo test -p etapolku-tests

# --- browser tests -----------------------------------------------------------------------------
step "browser tests (headless Chromium via playwright-core)"
(cd tests/e2e && env -u DATABASE_URL ETAPOLKU_BIN="$repo/target/debug/etapolku" npm test)

step "all tests passed"
