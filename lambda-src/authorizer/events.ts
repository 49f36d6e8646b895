import type { Authentication, Authorizer, Credential, Principal, ReasonCode } from './authorizer';
import { findRoute, matchRoute, PolicyDocument } from '../../src/api/route-policy';

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
/** Contexts per (cached, immutable) principal: built once per token. */
const contexts = new WeakMap<Principal, Record<string, string>>();

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

/** Parse `…/{stage}/{METHOD}/{path}` of a REST method ARN. */
export function methodOfArn(methodArn: string): { method: string; path: string } | undefined {
  const m = /^arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+\/([^/]+)(\/.*)?$/.exec(methodArn);
  return m ? { method: m[1], path: m[2] ?? '/' } : undefined;
}

/** The flat authorizer context: strings only, each bounded (nested values break API Gateway). */
export function contextOf(principal: Principal): Record<string, string> {
  const known = contexts.get(principal);
  if (known) return known;
  const ctx: Record<string, string> = {
    tenantId: principal.tenantId,
    sub: principal.sub,
    scopes: principal.scopes.join(' '),
    authType: principal.authType,
  };
  if (principal.iss) ctx.iss = principal.iss;
  if (principal.clientId) ctx.clientId = principal.clientId;
  for (const k of Object.keys(ctx)) ctx[k] = ctx[k].slice(0, CONTEXT_VALUE_MAX);
  contexts.set(principal, ctx);
  return ctx;
}

/** Answer a REST TOKEN or REQUEST event. */
export async function answerRest(authorizer: Authorizer, event: RestTokenEvent | RestRequestEvent): Promise<Outcome<RestAuthorizerResponse>> {
  const routes = authorizer.settings.routes;
  let credential: Credential | undefined;
  let routeIndex: number | undefined;
  const parsedArn = typeof event.methodArn === 'string' ? methodOfArn(event.methodArn) : undefined;
  if (event.type === 'TOKEN') {
    credential = credentialFromAuthorization(event.authorizationToken);
    routeIndex = parsedArn ? matchRoute(routes, parsedArn.method, parsedArn.path) : undefined;
  } else {
    credential = credentialFromHeaders(event.headers, authorizer.settings.apiKeyHeader);
    routeIndex = event.resource && event.httpMethod ? findRoute(routes, event.httpMethod, event.resource) : undefined;
  }
  const eventType = event.type;
  const route = routeIndex === undefined ? undefined : `${routes[routeIndex].method} ${routes[routeIndex].path}`;
  const auth = await authorizer.authenticate(credential);
  if (!auth.ok) return unauthorized(auth, eventType, route, credential);
  if (!parsedArn) {
    return { unauthorized: true, credential: credential?.value, record: { ...base(auth, eventType, route), decision: 'unauthorized', reason: 'invalid_token' } };
  }
  const allowed = authorizer.allows(auth.principal, routeIndex);
  const reason: ReasonCode = allowed ? 'allowed' : routeIndex === undefined ? 'unknown_route' : 'insufficient_scope';
  return {
    unauthorized: false,
    credential: credential?.value,
    response: {
      principalId: auth.principal.principalId,
      policyDocument: authorizer.policyFor(auth.principal, routeIndex, event.methodArn),
      context: contextOf(auth.principal),
    },
    record: { ...base(auth, eventType, route), decision: allowed ? 'allow' : 'deny', reason },
  };
}

/** Answer an HTTP API payload 2.0 event with a simple response (no 401 path there: denial is 403). */
export async function answerHttpV2(authorizer: Authorizer, event: HttpApiV2Event): Promise<Outcome<HttpSimpleResponse>> {
  const routes = authorizer.settings.routes;
  const credential = credentialFromHeaders(event.headers, authorizer.settings.apiKeyHeader);
  const [method, ...rest] = typeof event.routeKey === 'string' ? event.routeKey.split(' ') : [];
  const routeIndex = method && rest.length === 1 ? findRoute(routes, method, rest[0]) : undefined;
  const route = routeIndex === undefined ? undefined : event.routeKey;
  const auth = await authorizer.authenticate(credential);
  if (!auth.ok) {
    const out = unauthorized(auth, 'HTTP_V2', route, credential);
    return { ...out, unauthorized: false, response: { isAuthorized: false } };
  }
  const allowed = authorizer.allows(auth.principal, routeIndex);
  const reason: ReasonCode = allowed ? 'allowed' : routeIndex === undefined ? 'unknown_route' : 'insufficient_scope';
  return {
    unauthorized: false,
    credential: credential?.value,
    response: allowed ? { isAuthorized: true, context: contextOf(auth.principal) } : { isAuthorized: false },
    record: { ...base(auth, 'HTTP_V2', route), decision: allowed ? 'allow' : 'deny', reason },
  };
}

function base(auth: Extract<Authentication, { ok: true }>, eventType: DecisionRecord['eventType'], route: string | undefined) {
  return {
    eventType,
    route,
    authType: auth.principal.authType,
    tenantId: auth.principal.tenantId,
    iss: auth.principal.iss,
    kid: auth.kid,
    cache: auth.cache,
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
