#!/usr/bin/env bash
# Sends one SigV4-signed request to the deployed items API (a function URL with IAM auth)
# and prints the answer and the HTTP status.
#
#   examples/rds-integration/scripts/api.sh POST /items '{"name":"widget","quantity":5}'
#   examples/rds-integration/scripts/api.sh GET /items/1
#   examples/rds-integration/scripts/api.sh PUT /items/1 '{"name":"widget","quantity":9,"expectedVersion":1}'
#   examples/rds-integration/scripts/api.sh DELETE /items/1
#   examples/rds-integration/scripts/api.sh GET '/items?limit=10&after=0'
#   examples/rds-integration/scripts/api.sh GET /whoami
#
# Needs curl 7.75 or later (--aws-sigv4) and the AWS CLI v2 with credentials for the lab's
# account; your principal needs lambda:InvokeFunctionUrl on the function (administrators have it).
set -euo pipefail
source "$(dirname "$0")/lab-env.sh"
METHOD="${1:?usage: api.sh METHOD PATH [JSON]}"
REQUEST_PATH="${2:?usage: api.sh METHOD PATH [JSON]}"
ITEMS_API_URL="$(lab_output ItemsApiUrl)"
signed_request "$METHOD" "$REQUEST_PATH" "${3:-}" --write-out '\nHTTP %{http_code} in %{time_total} s\n'
