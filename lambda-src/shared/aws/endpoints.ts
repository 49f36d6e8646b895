/**
 * The services the handlers call, by the name aws-lite signs them with, and the id the AWS
 * SDKs use in their service-specific endpoint variable (`AWS_ENDPOINT_URL_<ID>`).
 */
const SERVICE_IDS = {
  'apigateway': 'API_GATEWAY',
  'cognito-idp': 'COGNITO_IDENTITY_PROVIDER',
  'dynamodb': 'DYNAMODB',
  // The WebSocket management API (@connections) is signed as execute-api.
  'execute-api': 'APIGATEWAYMANAGEMENTAPI',
  'events': 'EVENTBRIDGE',
  'lambda': 'LAMBDA',
  's3': 'S3',
  'secretsmanager': 'SECRETS_MANAGER',
  'sns': 'SNS',
  'sqs': 'SQS',
  'ssm': 'SSM',
  'states': 'SFN',
  'sts': 'STS',
} as const;

export type AwsService = keyof typeof SERVICE_IDS;

/**
 * The endpoint the SDKs would use for `service`: `AWS_ENDPOINT_URL_<ID>` first, then the
 * global `AWS_ENDPOINT_URL` (how LocalStack, DynamoDB Local or dynalite are wired in), or
 * undefined for the service's regional AWS endpoint. aws-lite reads only the global
 * variable, so every client takes its endpoint from here.
 */
export function endpointFor(service: AwsService, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${SERVICE_IDS[service]}`] || env.AWS_ENDPOINT_URL || undefined;
}
