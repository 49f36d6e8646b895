#!/usr/bin/env bash
# Source this file after `npx cdk deploy ApiGatewayLab`: it exports the dev/staging/prod base
# URLs, an access token of the CafeApp client (or PartnerApp with CLIENT=partner) and the
# matching usage plan's API key.
#   source examples/api-gateway/scripts/lab-env.sh                  # CafeApp, every scope
#   CLIENT=partner source examples/api-gateway/scripts/lab-env.sh   # menu.read only
# It is sourced into your shell, so it never calls `exit` or `set -e`: a failed step returns 1
# and exports nothing.

lab_env() {
  local stack="${STACK:-ApiGatewayLab}" dev staging prod pool client key secret answer token api_key
  output() { aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }

  dev="$(output Url0)" && staging="$(output Url1)" && prod="$(output Url2)" || return 1
  pool="$(output UserPoolId)" || return 1
  if [ "${CLIENT:-cafe}" = partner ]; then
    client="$(output PartnerClientId)" && key="$(output ApiKeyId1)" || return 1
  else
    client="$(output CafeClientId)" && key="$(output ApiKeyId0)" || return 1
  fi
  secret="$(aws cognito-idp describe-user-pool-client --user-pool-id "$pool" --client-id "$client" --query UserPoolClient.ClientSecret --output text)" || return 1
  # The token endpoint answers JSON; anything without an access_token (wrong secret, no domain yet) stops here.
  answer="$(curl -s -u "$client:$secret" -d grant_type=client_credentials "$(output TokenEndpoint)")" || return 1
  token="$(printf '%s' "$answer" | node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      let token;
      try { token = JSON.parse(s).access_token; } catch { token = undefined; }
      if (!token) { console.error("no access_token in: " + s); process.exit(1); }
      console.log(token);
    });')" || return 1
  api_key="$(aws apigateway get-api-key --api-key "$key" --include-value --query value --output text)" || return 1
  export DEV_URL="$dev" STAGING_URL="$staging" PROD_URL="$prod" TOKEN="$token" API_KEY="$api_key"
  echo "DEV_URL=$DEV_URL STAGING_URL=$STAGING_URL PROD_URL=$PROD_URL; TOKEN and API_KEY set for ${CLIENT:-cafe}"
}

lab_env
