# Shared by the IotPlatform exercise scripts (sourced, not run): stack outputs, the lab's
# state directory and a private scratch directory removed on exit.

STACK="${STACK:-IotPlatform}"
# Device credentials returned at registration live here (mode 600), one file per device.
IOT_LAB_DIR="${IOT_LAB_DIR:-$HOME/.iot-lab}"

output() {
  local value
  value="$(aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text)"
  if [ -z "$value" ] || [ "$value" = None ]; then
    echo "stack $STACK has no output $1 (is it deployed, and is this its region?)" >&2
    return 1
  fi
  printf '%s\n' "$value"
}

# A directory only this user can read, for request headers and CLI input that carry secrets:
# they go to curl and the AWS CLI as files, never as arguments other users could see in `ps`.
scratch() {
  SCRATCH="$(umask 077 && mktemp -d)"
  trap 'rm -rf "$SCRATCH"' EXIT
}

device_file() {
  printf '%s/devices/%s.json\n' "$IOT_LAB_DIR" "$1"
}

require_device_id() {
  if ! [[ "${1:-}" =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
    echo "deviceId must match ^[A-Za-z0-9_-]{1,64}\$, got \"${1:0:80}\"" >&2
    exit 2
  fi
}
