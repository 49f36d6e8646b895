#!/usr/bin/env bash
# Sends REQUESTS calls of GET /v2/devices, PARALLEL at a time, with the operator token in TOKEN
# (and API_KEY as x-api-key when set), and counts the answers by HTTP status.
#   TOKEN="$TOKEN_A" examples/iot-platform/scripts/exceed-quota.sh 40 10
# The basic plan allows 2 requests/s with a burst of 4 (and 500 a day): expect 429s. The same
# run with the premium plan (50/s, burst 100) gets none.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

requests="${1:-40}"
parallel="${2:-10}"
if ! [[ "$requests" =~ ^[0-9]{1,4}$ && "$parallel" =~ ^[0-9]{1,2}$ ]] || [ "$requests" -lt 1 ] || [ "$parallel" -lt 1 ]; then
  echo "usage: exceed-quota.sh [REQUESTS 1-9999] [PARALLEL 1-99], got \"${1:-}\" \"${2:-}\"" >&2
  exit 2
fi
if [ -z "${TOKEN:-}" ]; then echo "set TOKEN to an operator ID token (create-operator.sh TENANT)" >&2; exit 2; fi
url="$(output RestApiUrl)"
scratch
{
  printf 'Authorization: Bearer %s\n' "$TOKEN"
  if [ -n "${API_KEY:-}" ]; then printf 'x-api-key: %s\n' "$API_KEY"; fi
} > "$SCRATCH/headers"

echo "$requests requests, $parallel at a time, to GET /v2/devices:" >&2
seq "$requests" | xargs -P "$parallel" -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "@$SCRATCH/headers" "${url%/}/v2/devices" \
  | sort | uniq -c
