#!/usr/bin/env bash
# Source this file after `npx cdk deploy IotPlatform`: it exports the stack's outputs for the
# exercises, and the usage-plan API keys when the REST API takes them from `x-api-key`.
#   source examples/iot-platform/scripts/lab-env.sh
#   STACK=MyIot source examples/iot-platform/scripts/lab-env.sh     # another stack name
# It is sourced into your shell, so it never calls `exit` or `set -e`: a failed step returns 1
# and exports nothing. Key values are exported, never printed.

iot_lab_env() {
  local stack="${STACK:-IotPlatform}" outputs key value key_source tier plan key_id basic="" premium=""
  # One call for every output (tab-separated key and value per line); plain bash 3 for macOS.
  outputs="$(aws cloudformation describe-stacks --stack-name "$stack" \
    --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text)" || return 1
  _iot_output() { printf '%s\n' "$outputs" | awk -F '\t' -v k="$1" '$1 == k { print $2 }'; }
  for key in RestApiUrl TelemetryUrl CommandsUrl DeviceServiceUrl UserPoolId DeviceClientId OperatorClientId \
    ClusterName DeviceServiceName TelemetryStreamName RejectedTelemetryQueueUrl ReadingsTable RegistryTable \
    RestApiId IncidentTopicArn DashboardName; do
    if [ -z "$(_iot_output "$key")" ]; then
      echo "lab-env: stack $stack has no output $key (is it deployed, and is this its region?)" >&2
      return 1
    fi
  done
  local api_id
  api_id="$(_iot_output RestApiId)"

  # HEADER: every REST call carries a tier's key in x-api-key and the key picks the usage plan.
  # AUTHORIZER: the authorizer returns the tenant's own key and callers send none.
  key_source="$(aws apigateway get-rest-api --rest-api-id "$api_id" --query apiKeySource --output text)" || return 1
  if [ "$key_source" = HEADER ]; then
    for tier in basic premium; do
      plan="$(aws apigateway get-usage-plans \
        --query "items[?name=='iot-device-api-$tier' && contains(apiStages[].apiId, '$api_id')].id | [0]" --output text)" || return 1
      if [ -z "$plan" ] || [ "$plan" = None ]; then
        echo "lab-env: REST API $api_id has no usage plan iot-device-api-$tier" >&2
        return 1
      fi
      key_id="$(aws apigateway get-usage-plan-keys --usage-plan-id "$plan" --query 'items[0].id' --output text)" || return 1
      if [ -z "$key_id" ] || [ "$key_id" = None ]; then
        echo "lab-env: usage plan iot-device-api-$tier has no API key" >&2
        return 1
      fi
      value="$(aws apigateway get-api-key --api-key "$key_id" --include-value --query value --output text)" || return 1
      if [ "$tier" = basic ]; then basic="$value"; else premium="$value"; fi
    done
  fi

  export REST_URL="$(_iot_output RestApiUrl)" TELEMETRY_URL="$(_iot_output TelemetryUrl)" COMMANDS_URL="$(_iot_output CommandsUrl)" \
    DEVICE_SERVICE_URL="$(_iot_output DeviceServiceUrl)" USER_POOL_ID="$(_iot_output UserPoolId)" DEVICE_CLIENT_ID="$(_iot_output DeviceClientId)" \
    OPERATOR_CLIENT_ID="$(_iot_output OperatorClientId)" CLUSTER="$(_iot_output ClusterName)" DEVICE_SERVICE="$(_iot_output DeviceServiceName)" \
    STREAM_NAME="$(_iot_output TelemetryStreamName)" REJECTED_QUEUE_URL="$(_iot_output RejectedTelemetryQueueUrl)" \
    READINGS_TABLE="$(_iot_output ReadingsTable)" REGISTRY_TABLE="$(_iot_output RegistryTable)" REST_API_ID="$api_id" \
    INCIDENT_TOPIC_ARN="$(_iot_output IncidentTopicArn)" DASHBOARD_NAME="$(_iot_output DashboardName)" \
    API_KEY_SOURCE="$key_source" BASIC_API_KEY="$basic" PREMIUM_API_KEY="$premium"
  echo "REST_URL=$REST_URL TELEMETRY_URL=$TELEMETRY_URL COMMANDS_URL=$COMMANDS_URL DEVICE_SERVICE_URL=$DEVICE_SERVICE_URL"
  if [ "$key_source" = HEADER ]; then
    echo "API keys from x-api-key: BASIC_API_KEY and PREMIUM_API_KEY set"
  else
    echo "API keys: chosen by the authorizer from the caller's tenant; send no x-api-key"
  fi
}

# The helper is a function of your shell only while this runs.
iot_lab_env || { unset -f _iot_output iot_lab_env; return 1; }
unset -f _iot_output iot_lab_env
