#!/usr/bin/env bash
# Standard vs Express with your own numbers: the latency of N order-status lookups (the
# EXPRESS workflow behind GET /orders/{id}, measured at the client) and the durations of
# the last N order executions (the STANDARD workflow, from Step Functions).
#   examples/lambda-integration/scripts/compare-workflows.sh <orderId> [N]
# Needs API, TOKEN and WORKFLOW (cafe-env.sh, get-token.sh).
set -euo pipefail
order="${1:?usage: compare-workflows.sh <orderId> [N]}"
n="${2:-20}"
: "${API:?}" "${TOKEN:?}" "${WORKFLOW:?}"
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "n=%d p50=%s p90=%s max=%s\n", NR, v[int(NR * 0.5) + 1], v[int(NR * 0.9) + 1], v[NR] }'; }

echo "EXPRESS (synchronous, via API Gateway) - seconds per GET /orders/$order:"
for _ in $(seq 1 "$n"); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $TOKEN" "$API/orders/$order"
done | summary

echo "STANDARD - seconds per order execution (start to stop, includes any approval wait):"
aws stepfunctions list-executions --state-machine-arn "$WORKFLOW" --status-filter SUCCEEDED --max-results "$n" \
  --query 'executions[].[startDate,stopDate]' --output text |
  while read -r start stop; do
    echo "$(( $(date -d "$stop" +%s%3N) - $(date -d "$start" +%s%3N) ))" | awk '{ printf "%.3f\n", $1 / 1000 }'
  done | summary
