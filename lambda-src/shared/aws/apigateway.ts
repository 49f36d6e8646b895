import { AwsClientOptions, awsService, CallOptions } from './client';
import { AwsServiceError } from './errors';

/** What GetApiKey answers that the handlers use. */
export interface ApiKeyOutput {
  readonly id: string;
  /** The key itself: a secret. Never log it. */
  readonly value: string;
  readonly enabled?: boolean;
}

/** The API Gateway control plane (REST JSON). Errors are AwsServiceError (`NotFoundException`, `TooManyRequestsException`, ...). */
export interface ApiGateway {
  /** GetApiKey with `includeValue=true`: the key and its value. */
  getApiKey(apiKeyId: string, options?: CallOptions): Promise<ApiKeyOutput>;
}

/** API Gateway's control-plane API, `apigateway.<region>.amazonaws.com`. */
export function apiGateway(options?: AwsClientOptions): ApiGateway {
  const send = awsService('apigateway', 'json', options);
  return {
    async getApiKey(apiKeyId, o) {
      const response = await send({
        operation: 'GetApiKey',
        method: 'GET',
        path: `/apikeys/${encodeURIComponent(apiKeyId)}?includeValue=true`,
        headers: { accept: 'application/json' },
      }, o);
      const payload = (response.payload ?? {}) as { id?: unknown; value?: unknown; enabled?: unknown };
      // An answer without the value would otherwise reach API Gateway as an empty usage key.
      if (typeof payload.value !== 'string' || payload.value.length === 0) {
        throw new AwsServiceError('apigateway', 'GetApiKey', 'MissingKeyValue', 'failed', response.statusCode, `key ${apiKeyId} answered without a value`);
      }
      return {
        id: typeof payload.id === 'string' ? payload.id : apiKeyId,
        value: payload.value,
        enabled: typeof payload.enabled === 'boolean' ? payload.enabled : undefined,
      };
    },
  };
}
