#!/usr/bin/env bash
# Simulates an inventory-service outage in the deployed CrossServiceLab, and ends it.
#
#   examples/cross-service/scripts/inventory-outage.sh start   # scale inventory to 0 tasks
#   examples/cross-service/scripts/inventory-outage.sh stop    # back to 1..2 tasks
#   examples/cross-service/scripts/inventory-outage.sh status
#
# Needs the AWS CLI with credentials for the lab's account and region. The stack name can
# be changed with STACK_NAME (default CrossServiceLab).
set -euo pipefail
STACK_NAME="${STACK_NAME:-CrossServiceLab}"

output() {
  aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

CLUSTER="$(output ClusterName)"
SERVICE="$(output InventoryServiceName)"
RESOURCE_ID="service/$CLUSTER/$SERVICE"

scale() {
  # Auto scaling would restore the minimum, so its bounds move first, then the service.
  aws application-autoscaling register-scalable-target --service-namespace ecs \
    --scalable-dimension ecs:service:DesiredCount --resource-id "$RESOURCE_ID" \
    --min-capacity "$1" --max-capacity "$2"
  aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count "$1" \
    --query 'service.{desired:desiredCount,running:runningCount}' --output text
}

case "${1:-status}" in
  start) echo "inventory outage: scaling $SERVICE to 0 tasks"; scale 0 0 ;;
  stop) echo "inventory recovery: scaling $SERVICE back to 1..2 tasks"; scale 1 2 ;;
  status)
    aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
      --query 'services[0].{desired:desiredCount,running:runningCount,pending:pendingCount}' --output table ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
