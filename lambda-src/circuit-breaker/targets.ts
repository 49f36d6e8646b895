import { FallbackContext, isFailureStatus, ProtectedCall } from './breaker';
import { describeError, TargetFunctionError } from './errors';
import { DROPPED_HEADERS, httpRequest } from './http-request';
import type { FallbackSettings, TargetSettings } from '../../src/resilience/circuit-breaker-settings';
import type { Lambda } from '../shared/aws/lambda';

/** The answer of an HTTP target, shaped as an API Gateway / function URL proxy result. */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * The protected call for one event (a new object per call: nothing of it is shared). Throws
 * InvalidRequestError, before anything is sent or counted, when the event cannot become a request.
 */
export function targetCall(target: TargetSettings, event: unknown, lambda: () => Lambda): ProtectedCall<unknown> {
  if (target.type === 'http') {
    const { url, init } = httpRequest(target.url, event);
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

/** An answer of the breaker itself to an HTTP caller: a JSON body with a message and the circuit's name. */
export function breakerAnswer(statusCode: number, circuit: string, message: string, headers?: Record<string, string>): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ message, circuit }) };
}
