#!/usr/bin/env bash
# Simulates an outage of one ECS service of a deployed lab, and ends it: the labs' outage
# exercises (cross-service: inventory, IoT platform: device-service) call it with their own
# cluster, service and task bounds.
#
#   service-outage.sh <cluster> <service> <min tasks> <max tasks> start|stop|status
#
# start scales the service to 0 tasks, stop back to <min>..<max>. Needs the AWS CLI with
# credentials for the lab's account and region.
set -euo pipefail

if [ $# -ne 5 ]; then
  echo "usage: service-outage.sh <cluster> <service> <min tasks> <max tasks> start|stop|status" >&2
  exit 2
fi
cluster="$1" service="$2" min="$3" max="$4" action="$5"
resource_id="service/$cluster/$service"

scale() {
  # Auto scaling would restore its minimum, so its bounds move first, then the service.
  aws application-autoscaling register-scalable-target --service-namespace ecs \
    --scalable-dimension ecs:service:DesiredCount --resource-id "$resource_id" \
    --min-capacity "$1" --max-capacity "$2"
  aws ecs update-service --cluster "$cluster" --service "$service" --desired-count "$1" \
    --query 'service.{desired:desiredCount,running:runningCount}' --output text
}

case "$action" in
  start) echo "outage: scaling $service to 0 tasks"; scale 0 0 ;;
  stop) echo "recovery: scaling $service back to $min..$max tasks"; scale "$min" "$max" ;;
  status)
    aws ecs describe-services --cluster "$cluster" --services "$service" \
      --query 'services[0].{desired:desiredCount,running:runningCount,pending:pendingCount}' --output table ;;
  *) echo "the action must be start, stop or status, got \"$action\"" >&2; exit 2 ;;
esac
