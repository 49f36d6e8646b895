#!/usr/bin/env bash
# Creates (or refreshes) an operator of TENANT in the lab's user pool and prints the operator's
# Cognito ID token, which carries custom:tenant_id: the REST API and the command WebSocket take
# the caller's tenant from it.
#   export TOKEN_A="$(examples/iot-platform/scripts/create-operator.sh tenant-a)"
# The user is `operator+<tenant>` (a `+` is in no tenant or device id, so it cannot collide
# with a device user `<tenant>.<device>`). Each run sets a new random password, which is used
# once to sign in and never printed or passed as an argument. ID tokens last one hour.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lab-common.sh"

tenant="${1:-}"
if ! [[ "$tenant" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
  echo "usage: create-operator.sh TENANT  (TENANT must match ^[A-Za-z0-9._-]{1,64}\$, got \"${tenant:0:80}\")" >&2
  exit 2
fi
pool="$(output UserPoolId)"
client="$(output OperatorClientId)"
username="operator+$tenant"
scratch

# The tenant attribute is immutable: an existing operator already belongs to this tenant.
if ! aws cognito-idp admin-create-user --user-pool-id "$pool" --username "$username" --message-action SUPPRESS \
  --user-attributes "Name=custom:tenant_id,Value=$tenant" --query User.Username --output text >/dev/null 2>"$SCRATCH/create.err"; then
  if grep -q UsernameExistsException "$SCRATCH/create.err"; then
    echo "operator $username exists; giving it a new password" >&2
  else
    cat "$SCRATCH/create.err" >&2
    exit 1
  fi
else
  echo "created operator $username of tenant $tenant" >&2
fi

# 32 hex characters plus one of each class the pool's password policy asks for.
password="$(openssl rand -hex 16)Aa1!"
printf '{"UserPoolId":"%s","Username":"%s","Password":"%s","Permanent":true}' "$pool" "$username" "$password" > "$SCRATCH/password.json"
aws cognito-idp admin-set-user-password --cli-input-json "file://$SCRATCH/password.json"
printf '{"UserPoolId":"%s","ClientId":"%s","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"%s","PASSWORD":"%s"}}' \
  "$pool" "$client" "$username" "$password" > "$SCRATCH/auth.json"
token="$(aws cognito-idp admin-initiate-auth --cli-input-json "file://$SCRATCH/auth.json" --query AuthenticationResult.IdToken --output text)"
if [[ "$token" != eyJ* ]]; then
  echo "no ID token for $username (Cognito asked for a challenge or refused the sign-in)" >&2
  exit 1
fi
printf '%s\n' "$token"
