#!/usr/bin/env bash
# Everything a fresh machine needs before the demo or the tests: pnpm, the workspace's packages, and
# the local PostgreSQL and Redis the test suites talk to.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

if [ "$(pnpm --version 2>/dev/null)" != "12.4.2" ]; then
  npm install --global pnpm@12.4.2
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

[ -x /usr/bin/chromium ] || { apt-get update && apt-get install -y chromium; } # the dashboard's browser test drives Debian's Chromium
pnpm install --frozen-lockfile
