#!/usr/bin/env bash
# Drives load at the deployed EcsOrchestrationLab so its services scale out, and back in
# when it stops.
#
#   examples/ecs-orchestration/scripts/load.sh jobs 300 [workMs]   # enqueue 300 jobs (default 2000 ms of work each)
#   examples/ecs-orchestration/scripts/load.sh web 600 [parallel]  # 600 seconds of requests to the web service (default 20 at a time)
#   examples/ecs-orchestration/scripts/load.sh poison              # one message the worker cannot read (ends in the DLQ)
#   examples/ecs-orchestration/scripts/load.sh status              # queue depth and running tasks per service
#
# Needs the AWS CLI with credentials for the lab's account and region, and curl. The stack
# name can be changed with STACK_NAME (default EcsOrchestrationLab).
set -euo pipefail
STACK_NAME="${STACK_NAME:-EcsOrchestrationLab}"

output() {
  aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

enqueue_jobs() {
  local count="$1" work_ms="$2" queue sent=0
  queue="$(output JobQueueUrl)"
  while [ "$sent" -lt "$count" ]; do
    # SendMessageBatch takes at most 10 messages.
    local entries="" n
    for n in $(seq 1 10); do
      [ "$sent" -ge "$count" ] && break
      sent=$((sent + 1))
      entries="${entries}${entries:+,}{\"Id\":\"$n\",\"MessageBody\":\"{\\\"jobId\\\":\\\"load-$$-$sent\\\",\\\"workMs\\\":$work_ms}\"}"
    done
    aws sqs send-message-batch --queue-url "$queue" --entries "[$entries]" --query 'length(Successful)' --output text >/dev/null
  done
  echo "enqueued $count jobs of ${work_ms} ms on $queue"
}

drive_web() {
  local seconds="$1" parallel="$2" url end
  url="$(output WebUrl)/"
  end=$(( $(date +%s) + seconds ))
  echo "requesting $url with $parallel parallel clients for ${seconds}s (Ctrl-C stops)"
  worker() { while [ "$(date +%s)" -lt "$end" ]; do curl -s -o /dev/null -w '%{http_code}\n' "$url" || echo 000; done; }
  for _ in $(seq 1 "$parallel"); do worker & done | sort | uniq -c
  wait
}

status() {
  local cluster
  cluster="$(output ClusterName)"
  aws sqs get-queue-attributes --queue-url "$(output JobQueueUrl)" \
    --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible \
    --query 'Attributes' --output table
  aws ecs describe-services --cluster "$cluster" \
    --services "$(output WebServiceName)" "$(output ApiServiceName)" "$(output WorkerServiceName)" \
    --query 'services[].{service:serviceName,desired:desiredCount,running:runningCount,pending:pendingCount}' --output table
}

case "${1:-status}" in
  jobs) enqueue_jobs "${2:-300}" "${3:-2000}" ;;
  web) drive_web "${2:-600}" "${3:-20}" ;;
  poison) aws sqs send-message --queue-url "$(output JobQueueUrl)" --message-body 'this is not a job' --query MessageId --output text ;;
  status) status ;;
  *) echo "usage: $0 jobs [count] [workMs] | web [seconds] [parallel] | poison | status" >&2; exit 2 ;;
esac
