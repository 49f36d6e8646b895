import { AwsClientOptions, awsJsonService, CallOptions } from './client';

export interface GetSecretValueInput {
  readonly SecretId: string;
}

export interface GetSecretValueOutput {
  readonly ARN?: string;
  readonly SecretString?: string;
  readonly VersionId?: string;
}

/** The Secrets Manager reads the handlers use. Errors are AwsServiceError. */
export interface SecretsManager {
  getSecretValue(input: GetSecretValueInput, options?: CallOptions): Promise<GetSecretValueOutput>;
}

/** Secrets Manager over its AWS JSON 1.1 protocol. */
export function secretsManager(options?: AwsClientOptions): SecretsManager {
  const call = awsJsonService('secretsmanager', 'secretsmanager', '1.1', options);
  return {
    getSecretValue: (input, o) => call<GetSecretValueOutput>('GetSecretValue', input, o),
  };
}
