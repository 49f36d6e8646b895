#!/usr/bin/env bash
# Stops one running task of a mesh service (device-service unless SERVICE names another) and
# probes the front door once every 5 seconds while ECS replaces it: each line shows the HTTP
# status, which variant answered and how many tasks run.
#   examples/iot-platform/scripts/kill-task.sh
#   WATCH_SECONDS=180 examples/iot-platform/scripts/kill-task.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

cluster="$(output ClusterName)"
service="${SERVICE:-$(output DeviceServiceName)}"
url="$(output DeviceServiceUrl)"
watch_seconds="${WATCH_SECONDS:-120}"

task="$(aws ecs list-tasks --cluster "$cluster" --service-name "$service" --desired-status RUNNING --query 'taskArns[0]' --output text)"
if [ -z "$task" ] || [ "$task" = None ]; then
  echo "service $service has no running task to stop" >&2
  exit 1
fi
aws ecs stop-task --cluster "$cluster" --task "$task" --reason "IotPlatform lab: kill-task.sh failover exercise" \
  --query 'task.{task:taskArn,lastStatus:lastStatus}' --output text
echo "stopped ${task##*/}; probing $url every 5 s for $watch_seconds s" >&2

for _ in $(seq 1 $((watch_seconds / 5))); do
  answer="$(curl -s -m 4 -w ' %{http_code}' "${url%/}/v1/devices/probe-1/status" || true)"
  running="$(aws ecs describe-services --cluster "$cluster" --services "$service" --query 'services[0].runningCount' --output text)"
  printf '%s  HTTP %s  %s  running=%s\n' "$(date -u +%H:%M:%S)" "${answer##* }" \
    "$(printf '%s' "${answer% *}" | grep -o '"variant":"[a-z]*","version":"[^"]*"' || echo '-')" "$running"
  sleep 5
done
