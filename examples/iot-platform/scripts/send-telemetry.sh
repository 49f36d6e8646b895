#!/usr/bin/env bash
# Sends telemetry as a registered device: signs it in (device-token.sh) and POSTs to the HTTP
# API, which writes the body to the Kinesis stream as one record.
#   examples/iot-platform/scripts/send-telemetry.sh sensor-1 temperature 21.5      # one reading, now
#   examples/iot-platform/scripts/send-telemetry.sh sensor-1 --raw '{"readings":[{"metric":"temperature","value":"hot"}]}'
# --raw sends the body as given, for the rejected-telemetry exercise. Prints the answer
# (shard id and sequence number) and the HTTP status.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

usage() { echo "usage: send-telemetry.sh DEVICE_ID METRIC VALUE  |  send-telemetry.sh DEVICE_ID --raw BODY" >&2; exit 2; }
[ $# -eq 3 ] || usage
require_device_id "$1"
if [ "$2" = --raw ]; then
  body="$3"
else
  body="$(jq -cn --arg metric "$2" --arg value "$3" --arg ts "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    '{readings: [{ts: $ts, metric: $metric, value: ($value | tonumber? // $value)}]}')"
fi
url="$(output TelemetryUrl)"
token="$("$here/device-token.sh" "$1")"
scratch
printf 'Authorization: Bearer %s\nContent-Type: application/json\n' "$token" > "$SCRATCH/headers"
curl -sS -w '\nHTTP %{http_code}\n' -H "@$SCRATCH/headers" --data "$body" "$url"
