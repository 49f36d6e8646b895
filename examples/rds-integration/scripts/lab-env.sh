# Sourced by the RdsIntegrationLab scripts: the stack's outputs, the region, and the AWS
# CLI's current credentials exported for curl's SigV4 signing (profile, SSO or role).
# STACK_NAME overrides the stack name (default RdsIntegrationLab).
STACK_NAME="${STACK_NAME:-RdsIntegrationLab}"
if [ -z "${AWS_ACCESS_KEY_ID:-}" ]; then
  eval "$(aws configure export-credentials --format env)"
fi
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"

lab_output() {
  aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

# One SigV4-signed request to the items API: signed_request METHOD PATH [JSON] [extra curl args...]
signed_request() {
  local method="$1" path="$2" body="${3:-}"
  shift 2
  if [ $# -gt 0 ]; then shift; fi
  local args=(--silent --show-error --request "$method" --aws-sigv4 "aws:amz:${REGION}:lambda"
    --user "${AWS_ACCESS_KEY_ID}:${AWS_SECRET_ACCESS_KEY}")
  if [ -n "${AWS_SESSION_TOKEN:-}" ]; then args+=(--header "x-amz-security-token: ${AWS_SESSION_TOKEN}"); fi
  if [ -n "$body" ]; then args+=(--header 'content-type: application/json' --data "$body"); fi
  curl "${args[@]}" "$@" "${ITEMS_API_URL%/}${path}"
}
