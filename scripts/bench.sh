#!/usr/bin/env bash
# Runs the benchmarks in bench/ (all, or those whose file name contains $1) and lets each
# print its figures. Benchmarks are never part of the test command: they measure, they
# do not assert.
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-}"
for file in bench/*.ts; do
  [[ -z "$filter" || "$file" == *"$filter"* ]] || continue
  echo "== $file"
  node -r ts-node/register/transpile-only "$file"
done
