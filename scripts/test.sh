#!/usr/bin/env bash
# Sets up and runs the whole test suite on a fresh machine:
#   a virtualenv with the project and its test extras, Debian's chromium for the browser
#   tests, and the PostgreSQL / Redis servers started if they are down.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k rotation`).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages the tests drive: chromium (browser tests), nginx (the deployment's
# site in front of a real server), redis-server (a private Redis restarted under a screen).
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v redis-server >/dev/null || missing="$missing redis-server"
if [ -n "$missing" ]; then
  echo "Installing Debian's$missing for the tests…"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# Scale-out tests use the real servers on this machine; start any that is down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "Starting PostgreSQL…"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "Starting Redis…"
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi

# Two workers (the machine has two cores; much of a test is waiting on a server or the
# browser), each taking whole modules so a module's live server is started once.
# SIGNAGE_TEST_WORKERS=0 runs in one process.
exec .venv/bin/python -m pytest -n "${SIGNAGE_TEST_WORKERS:-2}" --dist loadfile "$@"
