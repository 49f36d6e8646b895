import type { Authentication, Authorizer, Credential, Principal, ReasonCode } from './authorizer';
import { parseMethodArn } from './method-arn';
import { methodPolicy, PolicyDocument } from '../../src/api/route-policy';

/** The three event shapes the authorizer answers. */
export type AuthorizerEvent = RestTokenEvent | RestRequestEvent | HttpApiV2Event;

export interface RestTokenEvent {
  readonly type: 'TOKEN';
  readonly authorizationToken?: string;
  readonly methodArn: string;
}

export interface RestRequestEvent {
  readonly type: 'REQUEST';
  readonly methodArn: string;
  readonly resource?: string;
  readonly httpMethod?: string;
  readonly headers?: Record<string, string | undefined> | null;
}

export interface HttpApiV2Event {
  readonly version: '2.0';
  readonly type: 'REQUEST';
  readonly routeArn: string;
  readonly routeKey: string;
  readonly headers?: Record<string, string | undefined> | null;
}

export interface RestAuthorizerResponse {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context: Record<string, string>;
  /** API key source `AUTHORIZER`: the value of the caller's tenant key, which meters the request. */
  readonly usageIdentifierKey?: string;
}

export interface HttpSimpleResponse {
  readonly isAuthorized: boolean;
  readonly context?: Record<string, string>;
}

/** What happened, for the one log line and the metrics of an invocation. */
export interface DecisionRecord {
  readonly decision: 'allow' | 'deny' | 'unauthorized';
  readonly reason: ReasonCode;
  readonly eventType: 'TOKEN' | 'REQUEST' | 'HTTP_V2';
  readonly route?: string;
  readonly authType?: 'jwt' | 'apiKey';
  readonly tenantId?: string;
  readonly iss?: string;
  readonly kid?: string;
  readonly cache?: 'hit' | 'miss';
  /** The id (never the value) of the tenant's usage key. */
  readonly usageKeyId?: string;
}

export interface Outcome<R> {
  readonly response?: R;
  /** REST: API Gateway turns exactly this error message into a 401. */
  readonly unauthorized: boolean;
  readonly record: DecisionRecord;
  /** The credential's raw value, for the caller to fingerprint; never log it. */
  readonly credential?: string;
}

const CONTEXT_VALUE_MAX = 1024;

export function isHttpApiV2(event: AuthorizerEvent): event is HttpApiV2Event {
  return (event as HttpApiV2Event).version === '2.0';
}

/** The credential of an `Authorization` header value: `Bearer <jwt>` or `ApiKey <key>`. */
export function credentialFromAuthorization(value: string | undefined): Credential | undefined {
  if (typeof value !== 'string') return undefined;
  // fast path for the common, well-formed header
  if (value.startsWith('Bearer ') && value.indexOf(' ', 7) === -1 && value.length > 7) return { kind: 'bearer', value: value.slice(7) };
  const m = /^\s*(Bearer|ApiKey)\s+(\S+)\s*$/i.exec(value);
  if (!m) return value.trim().length === 0 ? undefined : { kind: 'malformed', value: value.trim() };
  return { kind: m[1].toLowerCase() === 'apikey' ? 'apiKey' : 'bearer', value: m[2] };
}

function header(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Credential source order: `Authorization` header, then the API-key header. */
function credentialFromHeaders(headers: RestRequestEvent['headers'], apiKeyHeader: string): Credential | undefined {
  const auth = header(headers, 'authorization');
  if (auth !== undefined && auth.trim().length > 0) return credentialFromAuthorization(auth);
  const key = header(headers, apiKeyHeader);
  return key !== undefined && key.length > 0 ? { kind: 'apiKey', value: key.trim() } : undefined;
}

/**
 * The flat authorizer context: strings only, each bounded (nested values break API Gateway).
 * Built per answer rather than kept with the cached principal: short-lived objects cost the
 * garbage collector less than ones the token cache holds.
 */
export function contextOf(principal: Principal): Record<string, string> {
  const context: Record<string, string> = {
    tenantId: bounded(principal.tenantId),
    sub: bounded(principal.sub),
    scopes: bounded(principal.scopes),
    authType: principal.authType,
  };
  if (principal.iss) context.iss = bounded(principal.iss);
  if (principal.clientId) context.clientId = bounded(principal.clientId);
  return context;
}

function bounded(value: string): string {
  return value.length > CONTEXT_VALUE_MAX ? value.slice(0, CONTEXT_VALUE_MAX) : value;
}

/** Answer a REST TOKEN or REQUEST event. */
export async function answerRest(authorizer: Authorizer, event: RestTokenEvent | RestRequestEvent): Promise<Outcome<RestAuthorizerResponse>> {
  const routes = authorizer.routes;
  const methodArn = event.methodArn;
  const arn = typeof methodArn === 'string' ? parseMethodArn(methodArn) : undefined;
  let credential: Credential | undefined;
  let routeIndex: number | undefined;
  if (event.type === 'TOKEN') {
    credential = credentialFromAuthorization(event.authorizationToken);
    routeIndex = arn ? routes.matcher.matchIn(methodArn, arn.prefixEnd, arn.methodEnd, methodArn, arn.methodEnd, methodArn.length) : undefined;
  } else {
    credential = credentialFromHeaders(event.headers, authorizer.settings.apiKeyHeader);
    routeIndex = event.resource && event.httpMethod ? routes.matcher.find(event.httpMethod, event.resource) : undefined;
  }
  const route = routeIndex === undefined ? undefined : routes.labels[routeIndex];
  const pending = authorizer.authenticate(credential);
  const auth = pending instanceof Promise ? await pending : pending;
  if (!auth.ok) return unauthorized(auth, event.type, route, credential);
  if (!arn) {
    return { unauthorized: true, credential: credential?.value, record: { ...decided(auth, event.type, route, false, routeIndex), decision: 'unauthorized', reason: 'invalid_token' } };
  }
  const allowed = authorizer.allows(auth.principal, routeIndex);
  const record = decided(auth, event.type, route, allowed, routeIndex);
  const response: RestAuthorizerResponse = {
    principalId: auth.principal.sub,
    policyDocument: authorizer.policyFor(auth.principal, routeIndex, methodArn),
    context: contextOf(auth.principal),
  };
  if (!authorizer.usageKeys) return { unauthorized: false, credential: credential?.value, response, record };
  // The key goes with every answer, a denied route's too: API Gateway caches the answer and
  // reuses it for the token's other routes, which would then have no key to meter.
  const pendingKey = authorizer.usageKeys.keyOf(auth.principal.tenantId);
  const key = pendingKey instanceof Promise ? await pendingKey : pendingKey;
  if (!key.ok) {
    // fail closed: a request API Gateway cannot meter is not let through
    const usageKeyId = key.reason === 'usage_key_unavailable' ? key.apiKeyId : undefined;
    return {
      unauthorized: false,
      credential: credential?.value,
      response: { ...response, policyDocument: methodPolicy('Deny', methodArn) },
      record: { ...record, decision: 'deny', reason: key.reason, usageKeyId },
    };
  }
  return {
    unauthorized: false,
    credential: credential?.value,
    response: { ...response, usageIdentifierKey: key.value },
    record: { ...record, usageKeyId: key.apiKeyId },
  };
}

/** Answer an HTTP API payload 2.0 event with a simple response (no 401 path there: denial is 403). */
export async function answerHttpV2(authorizer: Authorizer, event: HttpApiV2Event): Promise<Outcome<HttpSimpleResponse>> {
  const credential = credentialFromHeaders(event.headers, authorizer.settings.apiKeyHeader);
  const [method, ...rest] = typeof event.routeKey === 'string' ? event.routeKey.split(' ') : [];
  const routeIndex = method && rest.length === 1 ? authorizer.routes.matcher.find(method, rest[0]) : undefined;
  const route = routeIndex === undefined ? undefined : event.routeKey;
  const auth = await authorizer.authenticate(credential);
  if (!auth.ok) {
    const out = unauthorized(auth, 'HTTP_V2', route, credential);
    return { ...out, unauthorized: false, response: { isAuthorized: false } };
  }
  const allowed = authorizer.allows(auth.principal, routeIndex);
  return {
    unauthorized: false,
    credential: credential?.value,
    response: allowed ? { isAuthorized: true, context: contextOf(auth.principal) } : { isAuthorized: false },
    record: decided(auth, 'HTTP_V2', route, allowed, routeIndex),
  };
}

/** The record of an authenticated caller's allow or deny. */
function decided(
  auth: Extract<Authentication, { ok: true }>, eventType: DecisionRecord['eventType'], route: string | undefined, allowed: boolean, routeIndex: number | undefined,
): DecisionRecord {
  const { principal, kid, cache } = auth;
  const reason: ReasonCode = allowed ? 'allowed' : routeIndex === undefined ? 'unknown_route' : 'insufficient_scope';
  return {
    eventType, route, authType: principal.authType, tenantId: principal.tenantId, iss: principal.iss, kid, cache, decision: allowed ? 'allow' : 'deny', reason,
  };
}

function unauthorized<R>(
  auth: Extract<Authentication, { ok: false }>,
  eventType: DecisionRecord['eventType'],
  route: string | undefined,
  credential: Credential | undefined,
): Outcome<R> {
  return {
    unauthorized: true,
    credential: credential?.value,
    record: { decision: 'unauthorized', reason: auth.reason, eventType, route, iss: auth.iss, kid: auth.kid?.slice(0, 128) },
  };
}
