#!/usr/bin/env bash
# Calls GET /whoami on the items API once a second for SECONDS (default 300) and prints
# the time, the HTTP status, the latency and the database server that answered. Run it
# while the instance fails over to see what clients behind RDS Proxy experience.
#
#   examples/rds-integration/scripts/failover-probe.sh 300 | tee failover.log
#
# Needs curl 7.75 or later, jq and the AWS CLI v2 (see api.sh).
set -euo pipefail
source "$(dirname "$0")/lab-env.sh"
DURATION="${1:-300}"
ITEMS_API_URL="$(lab_output ItemsApiUrl)"
end=$((SECONDS + DURATION))
while [ "$SECONDS" -lt "$end" ]; do
  answer="$(signed_request GET /whoami '' --max-time 35 --write-out '\n%{http_code} %{time_total}' || echo $'\n000 -')"
  body="$(printf '%s' "$answer" | sed '$d')"
  read -r status latency <<<"$(printf '%s' "$answer" | tail -n 1)"
  host="$(printf '%s' "$body" | jq -r '.serverHost // .error // "-"' 2>/dev/null || echo '-')"
  printf '%s  HTTP %s  %6ss  %s\n' "$(date -u +%H:%M:%S)" "$status" "$latency" "$host"
  sleep 1
done
