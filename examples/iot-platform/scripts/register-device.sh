#!/usr/bin/env bash
# Registers a device of the operator's tenant through the REST API and keeps the device
# credentials the API returns, once, in $IOT_LAB_DIR/devices/<deviceId>.json (mode 600).
#   TOKEN="$TOKEN_A" examples/iot-platform/scripts/register-device.sh sensor-1 "Boiler room"
#   TOKEN="$TOKEN_A" examples/iot-platform/scripts/register-device.sh --v2 sensor-2 th-200 1.4.2
# TOKEN is an operator ID token (create-operator.sh); API_KEY is sent as x-api-key when set
# (the REST API takes usage-plan keys from that header in this build). It prints the API's
# answer, credentials included: that answer is the only place they are ever shown.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

usage() { echo "usage: register-device.sh DEVICE_ID [NAME]  |  register-device.sh --v2 DEVICE_ID MODEL FIRMWARE_VERSION" >&2; exit 2; }
if [ -z "${TOKEN:-}" ]; then echo "set TOKEN to an operator ID token (create-operator.sh TENANT)" >&2; exit 2; fi
if [ "${1:-}" = --v2 ]; then
  [ $# -eq 4 ] || usage
  require_device_id "$2"
  device="$2"
  body="$(jq -cn --arg id "$2" --arg model "$3" --arg fw "$4" '{deviceId: $id, model: $model, firmwareVersion: $fw}')"
  path=v2/devices
else
  [ $# -ge 1 ] && [ $# -le 2 ] || usage
  require_device_id "$1"
  device="$1"
  body="$(jq -cn --arg id "$1" --arg name "${2:-}" '{deviceId: $id} + (if $name == "" then {} else {name: $name} end)')"
  path=v1/devices
fi
url="$(output RestApiUrl)"
scratch
{
  printf 'Authorization: Bearer %s\n' "$TOKEN"
  if [ -n "${API_KEY:-}" ]; then printf 'x-api-key: %s\n' "$API_KEY"; fi
  printf 'Content-Type: application/json\n'
} > "$SCRATCH/headers"

status="$(curl -sS -o "$SCRATCH/answer" -w '%{http_code}' -H "@$SCRATCH/headers" --data "$body" "${url%/}/$path")"
if [ "$status" != 201 ]; then
  echo "POST /$path answered HTTP $status:" >&2
  cat "$SCRATCH/answer" >&2; echo >&2
  exit 1
fi
file="$(device_file "$device")"
(umask 077 && mkdir -p "$(dirname "$file")" && cp "$SCRATCH/answer" "$file")
jq . "$file"
echo "HTTP 201; the device's credentials are kept in $file" >&2
