import { connectionKey, CONNECTION_META, deviceKey, operatorsKey, PRESENCE_SORT_KEY } from './keys';
import type { DynamoDb, DynamoItem, TransactWriteItem } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';

// The Connections table of the IoT platform's WebSocket API, in one place: the connection's
// own item `C#<id>/META`, a device's presence `T#t#D#d/CONN` (last writer wins) and a
// tenant's operator connections `T#t#OPS/<id>`. ws-connect writes them, ws-disconnect and
// ws-send-command read and delete them.

/** Who holds a connection, as the $connect authorizer verified it. */
export type ConnectionOwner =
  | { readonly role: 'device'; readonly tenantId: string; readonly sub: string; readonly deviceId: string }
  | { readonly role: 'operator'; readonly tenantId: string; readonly sub: string; readonly deviceId?: undefined };

/** A connection's own item. */
export type ConnectionRecord = ConnectionOwner & { readonly connectionId: string; readonly connectedAt: string };

const s = (value: string) => ({ S: value });
const n = (value: number) => ({ N: String(value) });

/** The key of `C#<connectionId>/META`. */
export function connectionItemKey(connectionId: string): DynamoItem {
  return { pk: s(connectionKey(connectionId)), sk: s(CONNECTION_META) };
}

/** The key of the item that announces the connection: the device's presence or the tenant's operator entry. */
export function announcementKey(connectionId: string, owner: ConnectionOwner): DynamoItem {
  return owner.role === 'device'
    ? { pk: s(deviceKey(owner.tenantId, owner.deviceId)), sk: s(PRESENCE_SORT_KEY) }
    : { pk: s(operatorsKey(owner.tenantId)), sk: s(checkedConnectionId(connectionId)) };
}

/** `connectionId` when it fits the pattern the `C#` key enforces (it becomes a sort key as is). */
function checkedConnectionId(connectionId: string): string {
  connectionKey(connectionId);
  return connectionId;
}

/** The key of a device's presence item `T#<tenant>#D#<device>/CONN`. */
export function presenceKey(tenantId: string, deviceId: string): DynamoItem {
  return { pk: s(deviceKey(tenantId, deviceId)), sk: s(PRESENCE_SORT_KEY) };
}

/**
 * The two puts of a connect, for one TransactWriteItems: both items exist or neither does.
 * The presence put is unconditional: the newest connection of a device wins.
 */
export function connectWrites(table: string, record: ConnectionRecord, ttl: number): TransactWriteItem[] {
  const { connectionId, connectedAt, ...owner } = record;
  const meta: DynamoItem = {
    ...connectionItemKey(connectionId),
    tenantId: s(owner.tenantId),
    role: s(owner.role),
    sub: s(owner.sub),
    connectedAt: s(connectedAt),
    ttl: n(ttl),
    ...(owner.role === 'device' ? { deviceId: s(owner.deviceId) } : {}),
  };
  const announcement: DynamoItem = owner.role === 'device'
    ? { ...announcementKey(connectionId, owner), connectionId: s(connectionId), ttl: n(ttl) }
    : { ...announcementKey(connectionId, owner), sub: s(owner.sub), ttl: n(ttl) };
  return [{ Put: { TableName: table, Item: meta } }, { Put: { TableName: table, Item: announcement } }];
}

/**
 * The connection's own item, read consistently; undefined when there is none or it does
 * not hold a well-formed owner (an item nobody but ws-connect writes: treat it as absent).
 */
export async function readConnection(db: DynamoDb, table: string, connectionId: string): Promise<ConnectionRecord | undefined> {
  const { Item } = await db.getItem({ TableName: table, Key: connectionItemKey(connectionId), ConsistentRead: true });
  if (!Item) return undefined;
  const tenantId = Item.tenantId?.S;
  const sub = Item.sub?.S;
  const connectedAt = Item.connectedAt?.S ?? '';
  if (!tenantId || !sub) return undefined;
  if (Item.role?.S === 'operator') return { connectionId, connectedAt, role: 'operator', tenantId, sub };
  const device = Item.deviceId?.S;
  if (Item.role?.S === 'device' && device) return { connectionId, connectedAt, role: 'device', tenantId, sub, deviceId: device };
  return undefined;
}

/** The connection id a device's presence item names, read consistently; undefined when the device is not connected. */
export async function readPresence(db: DynamoDb, table: string, tenantId: string, deviceId: string): Promise<string | undefined> {
  const { Item } = await db.getItem({ TableName: table, Key: presenceKey(tenantId, deviceId), ConsistentRead: true });
  return Item?.connectionId?.S || undefined;
}

/**
 * Delete a device's presence item only while it still names `connectionId`: a newer
 * connection of the same device has replaced it and must survive. Returns whether it was deleted.
 */
export async function deletePresenceIfCurrent(
  db: DynamoDb, table: string, tenantId: string, deviceId: string, connectionId: string,
): Promise<boolean> {
  try {
    await db.deleteItem({
      TableName: table,
      Key: presenceKey(tenantId, deviceId),
      ConditionExpression: 'connectionId = :id',
      ExpressionAttributeValues: { ':id': s(connectionId) },
    });
    return true;
  } catch (error) {
    if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
    throw error;
  }
}

/** The part of a WebSocket route event (API Gateway, Lambda proxy) these handlers read; anything may be missing. */
export interface WebSocketRouteEvent {
  readonly requestContext?: {
    readonly routeKey?: string;
    readonly connectionId?: string;
    readonly domainName?: string;
    readonly stage?: string;
    /** On $connect only: the context the $connect authorizer returned, plus principalId. */
    readonly authorizer?: Record<string, unknown> | null;
  };
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** A route's answer (`returnResponse` routes send `body` back to the client). */
export interface RouteResponse {
  readonly statusCode: number;
  readonly body?: string;
}
