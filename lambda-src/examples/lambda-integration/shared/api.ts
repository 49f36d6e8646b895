import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HandlerError } from '../../../shared/errors';
import { HandlerTools } from '../../../shared/handler';

/** An answer for the caller: an HTTP status and a stable error code. */
export class ApiError extends HandlerError {
  constructor(public readonly statusCode: number, code: string, message: string) {
    super(code, message, false);
  }
}

/** A JSON response of a Lambda proxy integration. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/**
 * The Cognito `sub` the library's authorizer put into the request context. The API
 * guards every route with the authorizer, so a request without it is a wiring error.
 */
export function callerId(event: APIGatewayProxyEvent): string {
  const sub = event.requestContext?.authorizer?.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new ApiError(403, 'NO_CALLER', 'the request carries no authenticated caller');
  return sub;
}

/** The body as JSON, within `maxBytes`; a body that is not a JSON object is the caller's error. */
export function jsonBody(event: APIGatewayProxyEvent, maxBytes: number): Record<string, unknown> {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (!raw) throw new ApiError(400, 'BODY_REQUIRED', 'the body must be a JSON object');
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw new ApiError(413, 'BODY_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'BODY_NOT_JSON', 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ApiError(400, 'BODY_NOT_OBJECT', 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Run an API route: an ApiError becomes its status and code, anything else is logged and
 * answered with 500 and the request id (never the error's text, which may hold internals).
 */
export function apiRoute(
  tools: HandlerTools,
  route: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>,
): (event: APIGatewayProxyEvent, context?: { awsRequestId?: string }) => Promise<APIGatewayProxyResult> {
  return async (event, context) => {
    try {
      return await route(event);
    } catch (error) {
      if (error instanceof ApiError) return json(error.statusCode, { error: error.code, message: error.message });
      const { name, message } = error as Error;
      tools.logger.error('request failed', { error: { name, message } });
      return json(500, { error: 'INTERNAL', message: 'the request failed; retry later', requestId: context?.awsRequestId });
    }
  };
}
