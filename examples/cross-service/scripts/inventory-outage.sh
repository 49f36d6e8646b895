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

case "${1:-status}" in
  start | stop | status) ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
exec "$(dirname "${BASH_SOURCE[0]}")/../../lab-scripts/service-outage.sh" \
  "$(output ClusterName)" "$(output InventoryServiceName)" 1 2 "${1:-status}"
