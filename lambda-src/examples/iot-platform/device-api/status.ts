import type { ApiAnswer } from './answers';
import { ApiError } from './answers';
import type { Lambda } from '../../../shared/aws/lambda';

// GET /v1/devices/{deviceId}/status, once the device is known to be the caller's: the
// CircuitBreakerFunction in front of device-service is invoked with the proxy event it
// forwards (GET /v1/devices/<id>/status), and its answer (the service's, or the breaker's
// fallback while the circuit is open) is returned as it is.

/** Request headers passed on to device-service: the canary test header and the A/B variant. */
const FORWARDED_HEADERS = ['x-canary', 'x-ab-variant'];
const FORWARDED_VALUE = /^[A-Za-z0-9._-]{1,32}$/;
/** Response headers passed back to the caller. */
const ANSWERED_HEADERS = ['content-type', 'retry-after'];

export interface StatusRequest {
  readonly deviceId: string;
  readonly requestId: string;
  readonly headers: Record<string, string | undefined>;
}

/** The event the breaker gets: an API Gateway proxy event, which it forwards to its HTTP target. */
export function breakerEvent(request: StatusRequest) {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined && FORWARDED_VALUE.test(value)) headers[name] = value;
  }
  return {
    httpMethod: 'GET',
    resource: '/v1/devices/{deviceId}/status',
    path: `/v1/devices/${request.deviceId}/status`,
    pathParameters: { deviceId: request.deviceId },
    headers,
    queryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: request.requestId },
  };
}

export async function deviceStatus(lambda: Lambda, functionName: string, request: StatusRequest): Promise<ApiAnswer> {
  const out = await lambda.invoke({ FunctionName: functionName, Payload: JSON.stringify(breakerEvent(request)) });
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let result: { statusCode?: unknown; headers?: unknown; body?: unknown } | undefined;
  try {
    result = JSON.parse(text) as typeof result;
  } catch {
    result = undefined;
  }
  const status = result?.statusCode;
  if (out.FunctionError || typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new ApiError(502, 'STATUS_UNAVAILABLE', 'the device status service gave no usable answer');
  }
  const given = (typeof result?.headers === 'object' && result.headers !== null ? result.headers : {}) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (ANSWERED_HEADERS.includes(name.toLowerCase()) && typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return { statusCode: status, raw: { body: typeof result?.body === 'string' ? result.body : '', headers } };
}
