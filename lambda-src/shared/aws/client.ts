import awsLite from '@aws-lite/client';
import { AwsService, endpointFor } from './endpoints';
import { AwsServiceError, bareErrorCode, failureKind } from './errors';

// The one module that talks to @aws-lite/client: it signs (aws4), resolves credentials
// (environment first, as Lambda provides them) and retries throttling, 5xx and network
// errors with jittered exponential backoff. Everything here bounds and names what it does.

/** Static credentials; by default the client's own chain finds them (AWS_ACCESS_KEY_ID, ...). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** How a service client is set up; every field is optional. */
export interface AwsClientOptions {
  /** Replaces AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL, e.g. a local engine in tests. */
  readonly endpoint?: string;
  /** Default: AWS_REGION. */
  readonly region?: string;
  readonly credentials?: AwsCredentials;
  /** Attempts per call, the first included (3, like the AWS SDKs). */
  readonly maxAttempts?: number;
  /** Upper bound of one call in ms, every attempt and backoff included (5,000). */
  readonly timeoutMs?: number;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (e.g. the caller's own deadline), in addition to `timeoutMs`. */
  readonly signal?: AbortSignal;
}

/** One HTTP request to a service, before signing. */
export interface AwsRequest {
  /** The API operation, for errors and logs. */
  readonly operation: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** May carry a query string (`/key?name=value`), encoded. */
  readonly path?: string;
  /** Replaces the service's regional host for this request (S3 virtual-hosted buckets). */
  readonly host?: string;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON (never marshalled as DynamoDB attributes); a string or Buffer as is. */
  readonly body?: object | string | Buffer;
}

export interface AwsResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** Parsed JSON or XML, or the raw bytes for `rawResponse` services. */
  readonly payload: unknown;
}

export type AwsSend = (request: AwsRequest, options?: CallOptions) => Promise<AwsResponse>;

/** How the service answers: JSON (read as plain JSON), raw bytes, or aws-lite's default parsing (XML). */
export type ResponseFormat = 'json' | 'raw' | 'xml';

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * A request function for one service. The client is created at the first call: creating it
 * is cheap (it reads the environment), and a module that is only loaded starts no
 * asynchronous work (credential discovery outside Lambda may read ~/.aws).
 */
export function awsService(service: AwsService, format: ResponseFormat, options: AwsClientOptions = {}): AwsSend {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: ReturnType<typeof awsLite> | undefined;
  const connect = () => (client ??= awsLite({
    endpoint: options.endpoint ?? endpointFor(service),
    region: options.region,
    ...options.credentials,
    retries: Math.max(0, maxAttempts - 1),
    // AWS JSON answers are plain JSON here: aws-lite would otherwise try to read them as
    // DynamoDB attribute values.
    responseContentType: format === 'json' ? 'application/json' : undefined,
  }));

  return async (request, call = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
    try {
      const aws = await connect();
      // `signal` reaches node:http's request options, so an abandoned call closes its socket.
      const response = await aws({
        service,
        method: request.method ?? 'POST',
        path: request.path ?? '/',
        ...(request.host === undefined ? {} : { host: request.host }),
        headers: { ...request.headers },
        payload: request.body,
        awsjson: false,
        rawResponsePayload: format === 'raw',
        signal,
      } as Parameters<typeof aws>[0]);
      return { statusCode: response.statusCode, headers: response.headers, payload: response.payload as unknown };
    } catch (error) {
      throw asServiceError(error, service, request.operation, call.signal, deadline);
    }
  };
}

/** An operation of an AWS JSON protocol service (DynamoDB, Step Functions, SSM): JSON in, JSON out. */
export type AwsJsonOperation = <T>(operation: string, input: object, options?: CallOptions) => Promise<T>;

/** Operations of a JSON protocol service whose targets are `<targetPrefix>.<Operation>`. */
export function awsJsonService(service: AwsService, targetPrefix: string, jsonVersion: '1.0' | '1.1', options?: AwsClientOptions): AwsJsonOperation {
  const send = awsService(service, 'json', options);
  const contentType = `application/x-amz-json-${jsonVersion}`;
  return async <T>(operation: string, input: object, call?: CallOptions): Promise<T> => {
    const response = await send({ operation, headers: { 'content-type': contentType, 'x-amz-target': `${targetPrefix}.${operation}` }, body: input }, call);
    return (response.payload ?? {}) as T;
  };
}

/** What aws-lite puts on the errors it throws. */
interface AwsLiteError {
  readonly name?: string;
  readonly message?: string;
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
}

function asServiceError(error: unknown, service: string, operation: string, caller: AbortSignal | undefined, deadline: AbortSignal): AwsServiceError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as AwsLiteError;
  const detail = String(e.message ?? error).replace(/^@aws-lite\/client: /, '');
  if (caller?.aborted) return new AwsServiceError(service, operation, 'RequestAborted', 'failed', undefined, 'aborted by the caller', { cause: error });
  if (deadline.aborted) return new AwsServiceError(service, operation, 'TimeoutError', 'failed', undefined, 'the call ran out of time', { cause: error });
  // REST services may name the error only in a header (Lambda with a raw payload).
  const named = e.name && e.name !== 'Error' ? e.name : e.headers?.['x-amzn-errortype'];
  const code = named ? bareErrorCode(named) : e.statusCode === undefined ? 'NetworkingError' : `Http${e.statusCode}`;
  return new AwsServiceError(service, operation, code, failureKind(code, e.statusCode), e.statusCode, detail, { cause: error });
}
