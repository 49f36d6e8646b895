#!/usr/bin/env bash
# Create (once) a café customer in the lab's user pool and print an access token for it.
#   TOKEN=$(examples/lambda-integration/scripts/get-token.sh barista 'Str0ng-Passw0rd!')
# Needs POOL and CLIENT from cafe-env.sh. The password needs 12+ characters with upper and
# lower case, a digit and a symbol; avoid commas (the CLI's shorthand syntax splits on them).
set -euo pipefail
user="${1:?usage: get-token.sh <username> <password>}"
password="${2:?usage: get-token.sh <username> <password>}"
: "${POOL:?source cafe-env.sh first}" "${CLIENT:?source cafe-env.sh first}"
if ! aws cognito-idp admin-get-user --user-pool-id "$POOL" --username "$user" >/dev/null 2>&1; then
  aws cognito-idp admin-create-user --user-pool-id "$POOL" --username "$user" --message-action SUPPRESS >/dev/null
  aws cognito-idp admin-set-user-password --user-pool-id "$POOL" --username "$user" --password "$password" --permanent
fi
aws cognito-idp initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$user,PASSWORD=$password" \
  --query AuthenticationResult.AccessToken --output text
