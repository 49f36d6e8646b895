#!/usr/bin/env bash
# Approve or reject the oldest approval request waiting in the lab's approval inbox queue
# (what the manager's email link does, for labs deployed without -c approverEmail=...).
#   examples/lambda-integration/scripts/decide-from-inbox.sh approve|reject [StackName]
set -euo pipefail
decision="${1:?usage: decide-from-inbox.sh approve|reject [StackName]}"
stack="${2:-LambdaIntegrationLab}"
inbox=$(aws cloudformation describe-stacks --stack-name "$stack" \
  --query "Stacks[0].Outputs[?OutputKey=='ApprovalInboxUrl'].OutputValue" --output text)
message=$(aws sqs receive-message --queue-url "$inbox" --max-number-of-messages 1 --wait-time-seconds 10 --output json)
body=$(jq -r '.Messages[0].Body // empty' <<<"$message")
if [[ -z "$body" ]]; then echo "no approval request waiting (is there an order over \$100 in progress?)" >&2; exit 1; fi
echo "request: $(jq -c '{approvalId, reviewUrl}' <<<"$body")"
jq -n --arg d "$decision" --argjson b "$body" '{decision: $d, e: $b.e, s: $b.s, comment: "decided from the inbox"}' |
  curl -s -X POST "$(jq -r .decisionUrl <<<"$body")" -H 'content-type: application/json' --data @- ; echo
aws sqs delete-message --queue-url "$inbox" --receipt-handle "$(jq -r '.Messages[0].ReceiptHandle' <<<"$message")"
