import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { connectWrites, ConnectionOwner, RouteResponse, WebSocketRouteEvent } from '../shared/connections';
import { connectionKey, deviceId, InvalidIdError, tenantId } from '../shared/keys';

/** What a connect needs besides the event; the clock is injected. */
export interface ConnectDeps {
  readonly db: DynamoDb;
  readonly connectionsTable: string;
  readonly connectionTtlSeconds: number;
  readonly now: () => number;
}

/** How a connect ended: the answer for API Gateway and, when refused, why (for the log). */
export type ConnectOutcome =
  | { readonly response: RouteResponse; readonly owner: ConnectionOwner; readonly connectionId: string; readonly problem?: undefined }
  | { readonly response: RouteResponse; readonly problem: string; readonly owner?: undefined; readonly connectionId?: undefined };

/**
 * Record a new connection from the $connect authorizer's context: `C#<id>/META` and the
 * device's presence (or the tenant's operator entry) in one transaction, both expiring
 * `connectionTtlSeconds` from now. A context that is missing or malformed means the route
 * is wired without the authorizer: the connection is refused (403), nothing is written.
 * A DynamoDB failure is thrown: the connection fails and the client may retry.
 */
export async function connect(event: WebSocketRouteEvent, deps: ConnectDeps): Promise<ConnectOutcome> {
  const id = event?.requestContext?.connectionId;
  try {
    if (typeof id !== 'string') throw new Error('requestContext.connectionId is missing');
    connectionKey(id);
  } catch (error) {
    return { response: { statusCode: 400 }, problem: (error as Error).message };
  }
  const owner = ownerOf(event.requestContext?.authorizer);
  if (typeof owner === 'string') return { response: { statusCode: 403 }, problem: owner };
  const now = deps.now();
  const ttl = Math.floor(now / 1000) + deps.connectionTtlSeconds;
  await deps.db.transactWriteItems({
    TransactItems: connectWrites(deps.connectionsTable, { ...owner, connectionId: id, connectedAt: new Date(now).toISOString() }, ttl),
  });
  return { response: { statusCode: 200 }, owner, connectionId: id };
}

/** The verified owner in the authorizer context, or what is wrong with the context. */
export function ownerOf(context: Record<string, unknown> | null | undefined): ConnectionOwner | string {
  if (typeof context !== 'object' || context === null) return 'requestContext.authorizer is missing: is the $connect authorizer attached?';
  try {
    const tenant = tenantId(context.tenantId, 'authorizer.tenantId');
    const sub = context.sub;
    if (typeof sub !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(sub)) {
      return `authorizer.sub must be 1 to 128 printable characters, got ${JSON.stringify(typeof sub === 'string' ? sub.slice(0, 80) : sub)}`;
    }
    if (context.role === 'operator') return { role: 'operator', tenantId: tenant, sub };
    if (context.role === 'device') return { role: 'device', tenantId: tenant, sub, deviceId: deviceId(context.deviceId, 'authorizer.deviceId') };
    return `authorizer.role must be "device" or "operator", got ${JSON.stringify(String(context.role).slice(0, 40))}`;
  } catch (error) {
    if (error instanceof InvalidIdError) return error.message;
    throw error;
  }
}
