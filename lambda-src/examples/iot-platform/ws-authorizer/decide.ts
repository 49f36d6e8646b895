import { deviceOfSubject } from './device-lookup';
import type { IdTokenVerifier } from './id-token';
import type { DynamoDb } from '../../../shared/aws/dynamodb';

/** The REQUEST authorizer event of a WebSocket $connect, as far as it is read here; anything may be missing. */
export interface ConnectAuthorizerEvent {
  readonly type?: string;
  readonly methodArn?: string;
  readonly headers?: Record<string, string | undefined> | null;
}

/** What API Gateway passes to the $connect integration (and ws-connect stores). */
export interface ConnectionContext {
  readonly tenantId: string;
  readonly role: 'device' | 'operator';
  readonly sub: string;
  readonly deviceId?: string;
}

export interface AuthorizerResponse {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: ReadonlyArray<{ readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow' | 'Deny'; readonly Resource: string }>;
  };
  readonly context?: ConnectionContext;
}

/** A decision: `unauthorized` (no credential: API Gateway's 401), or a policy, with the reason for the log. */
export type Decision =
  | { readonly kind: 'unauthorized'; readonly reason: string }
  | { readonly kind: 'policy'; readonly reason: string; readonly response: AuthorizerResponse; readonly tokenUsed: string };

export interface DecideDeps {
  readonly tokens: IdTokenVerifier;
  readonly db: DynamoDb;
  readonly registryTable: string;
  readonly bySubIndex: string;
}

/**
 * Decide a $connect: the `Authorization: Bearer <Cognito ID token>` header is verified,
 * the app client gives the role, `custom:tenant_id` the tenant, and a device token must
 * belong to an active registry entry of that tenant (its deviceId goes into the context).
 * No header: unauthorized, before any network call. A token that fails: Deny on the
 * method ARN. Failures to read the JWKS or the registry are thrown: the client gets a
 * server error (and the function's error metric counts it) instead of a 403 that would
 * blame a credential that may be good.
 */
export async function decide(event: ConnectAuthorizerEvent, deps: DecideDeps): Promise<Decision> {
  const methodArn = event?.methodArn;
  if (typeof methodArn !== 'string' || !methodArn.startsWith('arn:')) return { kind: 'unauthorized', reason: 'not_an_authorizer_event' };
  const header = headerValue(event.headers, 'authorization');
  if (header === undefined || header.trim() === '') return { kind: 'unauthorized', reason: 'missing_token' };
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match) return deny(methodArn, 'invalid_token', header);
  const token = match[1];

  const identity = await deps.tokens.verify(token);
  if (!identity.ok) return deny(methodArn, identity.reason, token);
  const { sub, tenantId, role } = identity;
  if (role === 'operator') return allow(methodArn, { tenantId, role, sub }, token);
  const device = await deviceOfSubject(deps.db, deps.registryTable, deps.bySubIndex, sub, tenantId);
  if (!device.ok) return deny(methodArn, device.reason, token, sub);
  return allow(methodArn, { tenantId, role, sub, deviceId: device.deviceId }, token);
}

/** A header by name, whatever its case (API Gateway keeps the client's). */
function headerValue(headers: ConnectAuthorizerEvent['headers'], name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}

function policy(effect: 'Allow' | 'Deny', methodArn: string) {
  return { Version: '2012-10-17' as const, Statement: [{ Action: 'execute-api:Invoke' as const, Effect: effect, Resource: methodArn }] };
}

function allow(methodArn: string, context: ConnectionContext, tokenUsed: string): Decision {
  return { kind: 'policy', reason: 'allowed', tokenUsed, response: { principalId: context.sub, policyDocument: policy('Allow', methodArn), context } };
}

function deny(methodArn: string, reason: string, tokenUsed: string, sub?: string): Decision {
  return { kind: 'policy', reason, tokenUsed, response: { principalId: sub ?? 'anonymous', policyDocument: policy('Deny', methodArn) } };
}
