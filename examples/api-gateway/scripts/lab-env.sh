#!/usr/bin/env bash
# Source this file after `npx cdk deploy ApiGatewayLab`: it exports the dev/staging/prod base
# URLs, an access token of the CafeApp client (or PartnerApp with CLIENT=partner) and the
# matching usage plan's API key.
#   source examples/api-gateway/scripts/lab-env.sh            # CafeApp, every scope
#   CLIENT=partner source examples/api-gateway/scripts/lab-env.sh   # menu.read only
set -euo pipefail
STACK="${STACK:-ApiGatewayLab}"
output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }

export DEV_URL="$(output Url0)" STAGING_URL="$(output Url1)" PROD_URL="$(output Url2)"
POOL_ID="$(output UserPoolId)"
if [ "${CLIENT:-cafe}" = partner ]; then CLIENT_ID="$(output PartnerClientId)"; KEY_ID="$(output ApiKeyId1)"; else CLIENT_ID="$(output CafeClientId)"; KEY_ID="$(output ApiKeyId0)"; fi
SECRET="$(aws cognito-idp describe-user-pool-client --user-pool-id "$POOL_ID" --client-id "$CLIENT_ID" --query UserPoolClient.ClientSecret --output text)"
export TOKEN="$(curl -s -u "$CLIENT_ID:$SECRET" -d grant_type=client_credentials "$(output TokenEndpoint)" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
export API_KEY="$(aws apigateway get-api-key --api-key "$KEY_ID" --include-value --query value --output text)"
unset SECRET
echo "DEV_URL=$DEV_URL STAGING_URL=$STAGING_URL PROD_URL=$PROD_URL; TOKEN and API_KEY set for ${CLIENT:-cafe}"
set +euo pipefail
