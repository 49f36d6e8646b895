import { FallbackContext, isFailureStatus, ProtectedCall } from './breaker';
import { describeError, TargetFunctionError } from './errors';
import type { FallbackSettings, TargetSettings } from '../../src/resilience/circuit-breaker-settings';
import type { Lambda } from '../shared/aws/lambda';

/** The answer of an HTTP target, shaped as an API Gateway / function URL proxy result. */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface ProxyEvent {
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  rawQueryString?: string;
  queryStringParameters?: Record<string, string | undefined> | null;
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

/** Whether the event comes from API Gateway (REST or HTTP API) or a function URL: such callers get HTTP answers. */
export function isHttpEvent(event: unknown): boolean {
  const e = event as ProxyEvent | null;
  return !!e && typeof e === 'object' && (typeof e.httpMethod === 'string' || typeof e.requestContext?.http?.method === 'string');
}

// Hop-by-hop and host-specific headers are not forwarded to the target.
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

/** How an event becomes an HTTP request: proxy events keep method, path, query, headers and body; anything else is POSTed as JSON. */
export function httpRequestFor(baseUrl: string, event: unknown): { url: string; init: RequestInit } {
  if (isHttpEvent(event)) {
    const e = event as ProxyEvent;
    const method = e.httpMethod ?? e.requestContext?.http?.method ?? 'GET';
    const path = e.rawPath ?? e.path ?? '';
    const query = e.rawQueryString ?? new URLSearchParams(
      Object.entries(e.queryStringParameters ?? {}).filter((kv): kv is [string, string] => kv[1] !== undefined),
    ).toString();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.headers ?? {})) if (v !== undefined && !DROPPED_HEADERS.has(k.toLowerCase())) headers[k] = v;
    const body = e.body == null || method === 'GET' || method === 'HEAD' ? undefined : e.isBase64Encoded ? Buffer.from(e.body, 'base64') : e.body;
    return { url: `${baseUrl.replace(/\/$/, '')}${path}${query ? `?${query}` : ''}`, init: { method, headers, body } };
  }
  return {
    url: baseUrl,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event ?? null) },
  };
}

/** The protected call for one event (a new object per call: nothing of it is shared). */
export function targetCall(target: TargetSettings, event: unknown, lambda: () => Lambda): ProtectedCall<unknown> {
  if (target.type === 'http') {
    const { url, init } = httpRequestFor(target.url, event);
    return {
      async run(signal) {
        const response = await fetch(url, { ...init, signal });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          // fetch has already decoded the body, so its encoding no longer applies
          if (!DROPPED_HEADERS.has(key) && key !== 'content-encoding') headers[key] = value;
        });
        return { statusCode: response.status, headers, body: await response.text() } satisfies HttpResult;
      },
      isFailureResult: (result) => isFailureStatus((result as HttpResult).statusCode),
    };
  }
  return {
    run: (signal) => invokeFunction(lambda(), target.functionName, event, signal),
    isFailureResult: (result) => {
      const status = (result as { statusCode?: unknown } | null)?.statusCode;
      return typeof status === 'number' && isFailureStatus(status);
    },
    // A TargetFunctionError (the function threw) counts as a failure through the default isFailureError.
  };
}

/** Invoke a function synchronously; a FunctionError (it threw) becomes a TargetFunctionError. */
export async function invokeFunction(client: Lambda, functionName: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
  const out = await client.invoke({
    FunctionName: functionName,
    InvocationType: 'RequestResponse',
    Payload: Buffer.from(JSON.stringify(payload ?? null)),
  }, { signal });
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: hand the text back as it is
  }
  if (out.FunctionError) throw new TargetFunctionError(out.FunctionError, body);
  return body;
}

/** The configured fallback as a function of the breaker's FallbackContext, or undefined when none is configured. */
export function fallbackFor(
  fallback: FallbackSettings | undefined,
  event: unknown,
  lambda: () => Lambda,
): ((context: FallbackContext) => Promise<unknown>) | undefined {
  if (!fallback) return undefined;
  if (fallback.type === 'static') {
    return async () => ({ statusCode: fallback.statusCode, headers: { ...fallback.headers }, body: fallback.body });
  }
  return (context) => invokeFunction(lambda(), fallback.functionName, {
    request: event,
    reason: context.reason,
    circuit: context.circuit,
    // undefined members vanish in the JSON payload
    error: context.error === undefined ? undefined : describeError(context.error),
    result: context.result,
  });
}

/** The answer HTTP callers get without a fallback: 503 with Retry-After while the circuit is open, 504 on a timeout. */
export function unavailable(circuit: string, retryAfterMs?: number): HttpResult {
  return {
    statusCode: retryAfterMs === undefined ? 504 : 503,
    headers: {
      'content-type': 'application/json',
      ...(retryAfterMs === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) }),
    },
    body: JSON.stringify({ message: retryAfterMs === undefined ? 'Upstream timed out' : 'Service temporarily unavailable', circuit }),
  };
}
