#!/usr/bin/env bash
# Simulates a device-service outage (for the circuit-breaker exercise), and ends it.
#   examples/iot-platform/scripts/device-outage.sh start    # scale device-service to 0 tasks
#   examples/iot-platform/scripts/device-outage.sh stop     # back to 2..4 tasks
#   examples/iot-platform/scripts/device-outage.sh status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

case "${1:-status}" in
  start | stop | status) ;;
  *) echo "usage: device-outage.sh start|stop|status" >&2; exit 2 ;;
esac
exec "$here/../../lab-scripts/service-outage.sh" "$(output ClusterName)" "$(output DeviceServiceName)" 2 4 "${1:-status}"
