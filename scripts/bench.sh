#!/usr/bin/env bash
# Runs the benchmarks in bench/ (all, or those whose file name contains $1) and lets each
# print its figures. Benchmarks are never part of the test command: they measure, they
# do not assert. Starts what they run against first (MariaDB, as the test task does;
# dynalite and the HTTP stubs run inside each benchmark) and builds the handler bundles
# when assets/ is missing, so it works on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-}"
bash scripts/services.sh start
[ -d assets ] || node scripts/bundle-handlers.mjs --quiet
for file in bench/*.ts; do
  [[ -z "$filter" || "$file" == *"$filter"* ]] || continue
  echo "== $file"
  node -r ts-node/register/transpile-only "$file" "${@:2}"
done
