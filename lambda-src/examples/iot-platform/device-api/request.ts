import { ApiError, invalidField } from './answers';
import { deviceId as checkDeviceId, tenantId as checkTenantId } from '../shared/keys';

// The parts of an API Gateway REST proxy event the device API reads, checked. The tenant
// comes only from the library authorizer's context: a `tenantId` in the body or query, or
// an `x-tenant-id` header, is never read.

/** A REST API proxy event as far as this API goes; every field may be missing or of the wrong type. */
export interface RestProxyEvent {
  readonly httpMethod?: unknown;
  readonly resource?: unknown;
  readonly pathParameters?: Record<string, unknown> | null;
  readonly queryStringParameters?: Record<string, unknown> | null;
  readonly headers?: Record<string, unknown> | null;
  readonly body?: unknown;
  readonly isBase64Encoded?: unknown;
  readonly requestContext?: { readonly requestId?: unknown; readonly authorizer?: Record<string, unknown> | null } | null;
}

/** Bodies larger than this are refused before they are parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The tenant the library authorizer verified (context `tenantId`); without one, nothing is served. */
export function callerTenant(event: RestProxyEvent): string {
  const value = event.requestContext?.authorizer?.tenantId;
  try {
    return checkTenantId(value, 'requestContext.authorizer.tenantId');
  } catch {
    // Not the caller's mistake to fix with another value: the route is not behind the authorizer, or the token has no tenant.
    throw new ApiError(403, 'NO_TENANT', 'the request carries no verified tenant: the route must be behind the library authorizer and the credential must name a tenant');
  }
}

/** The `{deviceId}` path parameter, checked against the device id pattern. */
export function pathDeviceId(event: RestProxyEvent): string {
  const value = event.pathParameters?.deviceId;
  try {
    return checkDeviceId(value, 'deviceId');
  } catch {
    throw invalidField('deviceId', value, '1-64 characters of A-Z a-z 0-9 _ -');
  }
}

/** A query parameter as a string, or undefined when absent. */
export function queryParameter(event: RestProxyEvent, name: string): string | undefined {
  const value = event.queryStringParameters?.[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField(name, value, 'a string');
  return value;
}

/** A request header (names are case-insensitive), or undefined. */
export function headerValue(event: RestProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

/** The body as a JSON object: at most 16 KB of UTF-8 (base64 decoded when API Gateway encoded it). */
export function jsonBody(event: RestProxyEvent): Record<string, unknown> {
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') throw new ApiError(400, 'BODY_REQUIRED', 'the body must be a JSON object, got nothing');
  if (typeof raw !== 'string') throw new ApiError(400, 'BODY_INVALID', `the body must be a JSON object sent as text, got ${typeof raw}`);
  // A base64 string is 4/3 of its bytes: refuse oversized ones before decoding them.
  const encodedLimit = event.isBase64Encoded === true ? Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4 : MAX_BODY_BYTES * 4;
  if (raw.length > encodedLimit) throw tooLarge();
  const bytes = event.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'BODY_INVALID', 'the body must be UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'BODY_INVALID', 'the body must be a JSON object, got text that is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, 'BODY_INVALID', `the body must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

function tooLarge(): ApiError {
  return new ApiError(400, 'BODY_TOO_LARGE', `the body must be at most ${MAX_BODY_BYTES} bytes`);
}
