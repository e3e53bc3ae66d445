#!/usr/bin/env bash
# Set up (a virtualenv with Marsad and its test tools) and run the whole test suite: lint, then pytest.
# Usage: bash scripts/test.sh [pytest args]   — .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check marsad tests eval bench

# A throw-away PostgreSQL server on loopback for the store tests (they skip without MARSAD_TEST_PG_URL).
# As root (CI), the server runs as the postgres (or nobody) user: postgres refuses to run as root.
start_test_postgres() {
  local bin
  bin=$(dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")" 2>/dev/null)
  if [ ! -x "$bin/initdb" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing PostgreSQL (apt-get install postgresql)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null </dev/null ||
      { apt-get update -q >/dev/null </dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null </dev/null; }
    bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
  fi
  [ -x "$bin/initdb" ] || { echo "error: PostgreSQL (initdb) not found and cannot be installed" >&2; return 1; }
  PG_DIR=$(mktemp -d)
  local as=()
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$PG_DIR"
    as=(runuser -u "$user" --)
  fi
  PG_PORT=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data")
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  trap 'stop_test_postgres' EXIT
  "${PG_CTL[@]}" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  local tries=0
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { echo "error: PostgreSQL did not start: $PG_DIR/server.log" >&2; return 1; }
    sleep 0.5
  done
  export MARSAD_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_test_postgres() {
  "${PG_CTL[@]}" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

# Debian's chromium for the browser tests (tests/test_browser.py drives it with Playwright's Python
# package; no browser download).  Without it they skip locally, and fail under CI=true.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium (apt-get install chromium)" >&2
  apt-get update -q >/dev/null </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null </dev/null
fi

[ -n "${MARSAD_TEST_PG_URL:-}" ] || start_test_postgres
.venv/bin/python -m pytest -q "$@"
