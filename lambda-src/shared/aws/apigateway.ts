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

/**
 * API Gateway's control-plane API, `apigateway.<region>.amazonaws.com`. Answers are read as raw
 * bytes and parsed here: aws-lite's own JSON parsing throws outside the call (and so ends the
 * process) when an answer is not JSON, e.g. an HTML page from a proxy.
 */
export function apiGateway(options?: AwsClientOptions): ApiGateway {
  const send = awsService('apigateway', 'raw', options);
  return {
    async getApiKey(apiKeyId, o) {
      const response = await send({
        operation: 'GetApiKey',
        method: 'GET',
        path: `/apikeys/${encodeURIComponent(apiKeyId)}?includeValue=true`,
        headers: { accept: 'application/json' },
      }, o);
      const payload = parseObject(response.payload);
      // An answer without the value would otherwise reach API Gateway as an empty usage key.
      if (typeof payload?.value !== 'string' || payload.value.length === 0) {
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

/** A JSON object from raw answer bytes; undefined for anything else. */
function parseObject(payload: unknown): Record<string, unknown> | undefined {
  try {
    const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : typeof payload === 'string' ? payload : undefined;
    const parsed: unknown = text === undefined ? payload : JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
