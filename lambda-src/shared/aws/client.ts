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
  // aws-lite makes one attempt per call: retries are decided here, from the error the answer
  // names, because answers are read as bytes (below) and aws-lite could not tell a throttle.
  const connect = () => (client ??= awsLite({
    endpoint: options.endpoint ?? endpointFor(service),
    region: options.region,
    ...options.credentials,
    retries: 0,
  }));

  const attempt = async (request: AwsRequest, signal: AbortSignal): Promise<AwsResponse> => {
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
      // JSON answers are read as bytes and parsed here: aws-lite parses them inside its
      // socket callback, where a body that is not JSON (a proxy's HTML page, a cut-off
      // answer) throws outside any caller and ends the process. Parsed here they are plain
      // JSON too, never read as DynamoDB attribute values.
      rawResponsePayload: format === 'raw' || format === 'json',
      signal,
    } as Parameters<typeof aws>[0]);
    const payload = format === 'json' ? parseJsonAnswer(response.payload, service, request.operation, response.statusCode) : response.payload as unknown;
    return { statusCode: response.statusCode, headers: response.headers, payload };
  };

  return async (request, call = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
    for (let n = 1; ; n++) {
      try {
        return await attempt(request, signal);
      } catch (error) {
        const failure = error instanceof AwsServiceError ? error : asServiceError(error, service, request.operation, call.signal, deadline);
        if (n >= maxAttempts || !retryable(failure) || signal.aborted) throw failure;
        try {
          await sleep(backoffMs(n), signal);
        } catch (abort) {
          throw asServiceError(abort, service, request.operation, call.signal, deadline);
        }
      }
    }
  };
}

/** Throttles and answers that never came (5xx, network errors, unreadable bodies) are worth another try; a refusal or an abort is not. */
function retryable(failure: AwsServiceError): boolean {
  if (failure.code === 'RequestAborted' || failure.code === 'TimeoutError') return false;
  return failure.kind === 'throttled' || failure.kind === 'failed';
}

/** Full jitter over an exponential ceiling (100 ms, 200 ms, 400 ms, ... up to 2 s), as the AWS SDKs do. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(2_000, 100 * 2 ** (attempt - 1));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A successful JSON answer's bytes as an object; a body that is not JSON fails the call, not the process. */
function parseJsonAnswer(payload: unknown, service: string, operation: string, statusCode: number): unknown {
  if (!Buffer.isBuffer(payload)) return payload;
  if (payload.length === 0) return undefined;
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw new AwsServiceError(service, operation, 'UnreadableResponse', 'failed', statusCode, `the answer (${payload.length} bytes) is not JSON`);
  }
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
  const body = rawErrorBody(e);
  const detail = (typeof body?.message === 'string' ? body.message : typeof body?.Message === 'string' ? body.Message : String(e.message ?? error))
    .replace(/^@aws-lite\/client: /, '');
  if (caller?.aborted) return new AwsServiceError(service, operation, 'RequestAborted', 'failed', undefined, 'aborted by the caller', { cause: error });
  if (deadline.aborted) return new AwsServiceError(service, operation, 'TimeoutError', 'failed', undefined, 'the call ran out of time', { cause: error });
  // REST services may name the error only in a header (Lambda with a raw payload).
  const bodyCode = [body?.__type, body?.code, body?.Code].find((c): c is string => typeof c === 'string' && c.length > 0);
  const named = e.name && e.name !== 'Error' ? e.name : bodyCode ?? e.headers?.['x-amzn-errortype'];
  const code = named ? bareErrorCode(named) : e.statusCode === undefined ? 'NetworkingError' : `Http${e.statusCode}`;
  return new AwsServiceError(service, operation, code, failureKind(code, e.statusCode), e.statusCode, detail, { cause: error });
}

/**
 * The JSON body of an error answer read as bytes. aws-lite copies such a body onto the
 * error it throws byte by byte, as numbered properties; anything that is not a JSON object
 * (an HTML error page) gives undefined, and the status code names the error instead.
 */
function rawErrorBody(error: object): Record<string, unknown> | undefined {
  const indexed = error as Record<string, unknown>;
  if (typeof indexed['0'] !== 'number') return undefined;
  const bytes: number[] = [];
  for (let i = 0; typeof indexed[i] === 'number'; i++) bytes.push(indexed[i] as number);
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
