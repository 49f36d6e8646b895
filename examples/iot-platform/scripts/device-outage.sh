#!/usr/bin/env bash
# Simulates a device-service outage (for the circuit-breaker exercise), and ends it.
#   examples/iot-platform/scripts/device-outage.sh start    # scale device-service to 0 tasks
#   examples/iot-platform/scripts/device-outage.sh stop     # back to 2..4 tasks
#   examples/iot-platform/scripts/device-outage.sh status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

cluster="$(output ClusterName)"
service="$(output DeviceServiceName)"
resource_id="service/$cluster/$service"

scale() {
  # Auto scaling would restore its minimum, so its bounds move first, then the service.
  aws application-autoscaling register-scalable-target --service-namespace ecs \
    --scalable-dimension ecs:service:DesiredCount --resource-id "$resource_id" \
    --min-capacity "$1" --max-capacity "$2"
  aws ecs update-service --cluster "$cluster" --service "$service" --desired-count "$1" \
    --query 'service.{desired:desiredCount,running:runningCount}' --output text
}

case "${1:-status}" in
  start) echo "device-service outage: scaling $service to 0 tasks"; scale 0 0 ;;
  stop) echo "device-service recovery: scaling $service back to 2..4 tasks"; scale 2 4 ;;
  status)
    aws ecs describe-services --cluster "$cluster" --services "$service" \
      --query 'services[0].{desired:desiredCount,running:runningCount,pending:pendingCount}' --output table ;;
  *) echo "usage: device-outage.sh start|stop|status" >&2; exit 2 ;;
esac
