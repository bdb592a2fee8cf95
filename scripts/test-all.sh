#!/usr/bin/env bash
# Runs every test: type-check, build, unit, integration (real Docker engine) and browser e2e.
# Needs Debian's docker.io, chromium, prometheus, prometheus-alertmanager and busybox-static and a
# running engine: scripts/setup-system.sh provides them.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(bash stack/test-images/build.sh)"
echo "== type-check"
npm run -s typecheck
echo "== electronegativity (Electron security lint; fails on a high-severity finding)"
node scripts/electronegativity.mjs
echo "== build"
npm run -s build >/dev/null

echo "== tests"
mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json || status=$?

# Tests clean up after themselves; anything left is a bug, reported and then removed.
leftovers=$(docker ps -aq --filter label=io.rx580-ops.project | wc -l)
if [ "$leftovers" -gt 0 ]; then
  echo "test-all: $leftovers container(s) of the console were left behind:" >&2
  docker ps -a --filter label=io.rx580-ops.project --format '  {{.Names}} ({{.Status}})' >&2
  docker rm -f $(docker ps -aq --filter label=io.rx580-ops.project) >/dev/null
  status=1
fi
docker network prune -f --filter label=io.rx580-ops.project >/dev/null

node scripts/test-summary.mjs .test-results/vitest.json
exit "$status"
