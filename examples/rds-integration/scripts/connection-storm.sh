#!/usr/bin/env bash
# Starts CLIENTS connection-storm clients at once (asynchronous Lambda invocations), each
# holding one database connection for SECONDS:
#   hold  - connected and idle between two short statements (the proxy can multiplex)
#   sleep - busy in SELECT SLEEP(SECONDS) the whole time (one server connection each)
# TARGET proxy (default) goes through RDS Proxy; instance goes straight to the DB instance
# and needs the stack deployed with -c directAccess=true.
#
#   examples/rds-integration/scripts/connection-storm.sh 150 hold 60
#   examples/rds-integration/scripts/connection-storm.sh 150 sleep 60
#   examples/rds-integration/scripts/connection-storm.sh 150 hold 60 instance
#
# The clients run as long as Lambda concurrency allows: check your account's limit with
#   aws lambda get-account-settings --query AccountLimit.ConcurrentExecutions
set -euo pipefail
source "$(dirname "$0")/lab-env.sh"
CLIENTS="${1:-150}"
MODE="${2:-hold}"
HOLD_SECONDS="${3:-60}"
TARGET="${4:-proxy}"
FUNCTION="$(lab_output ConnectionStormFunctionName)"
PAYLOAD="{\"mode\":\"$MODE\",\"seconds\":$HOLD_SECONDS,\"target\":\"$TARGET\"}"

echo "starting $CLIENTS clients: $PAYLOAD -> $FUNCTION"
seq "$CLIENTS" | xargs -P 25 -I{} aws lambda invoke --function-name "$FUNCTION" \
  --invocation-type Event --cli-binary-format raw-in-base64-out --payload "$PAYLOAD" \
  --query StatusCode --output text /dev/null | sort | uniq -c | awk '{ print "  " $1 " invocations answered HTTP " $2 " (202: queued)" }'
echo "watch the dashboard for the next $((HOLD_SECONDS + 60)) s; the outcome of each client is in its log:"
echo "  aws logs tail /aws/lambda/$FUNCTION --since 5m --format short | grep -E 'storm client (done|failed)'"
