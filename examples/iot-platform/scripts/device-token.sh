#!/usr/bin/env bash
# Signs a registered device in with the credentials register-device.sh kept, and prints its
# Cognito ID token (device app client, USER_PASSWORD_AUTH).
#   DEVICE_TOKEN="$(examples/iot-platform/scripts/device-token.sh sensor-1)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

[ $# -eq 1 ] || { echo "usage: device-token.sh DEVICE_ID" >&2; exit 2; }
require_device_id "$1"
file="$(device_file "$1")"
if [ ! -r "$file" ]; then
  echo "no credentials for $1 in $file: register it first (register-device.sh $1)" >&2
  exit 1
fi
client="$(output DeviceClientId)"
scratch
jq -c --arg client "$client" '{ClientId: $client, AuthFlow: "USER_PASSWORD_AUTH",
  AuthParameters: {USERNAME: .credentials.username, PASSWORD: .credentials.password}}' "$file" > "$SCRATCH/auth.json"
token="$(aws cognito-idp initiate-auth --cli-input-json "file://$SCRATCH/auth.json" --query AuthenticationResult.IdToken --output text)"
if [[ "$token" != eyJ* ]]; then
  echo "no ID token for device $1 (decommissioned, or Cognito asked for a challenge)" >&2
  exit 1
fi
printf '%s\n' "$token"
