import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { announcementKey, connectionItemKey, ConnectionRecord, deletePresenceIfCurrent, readConnection, WebSocketRouteEvent } from '../shared/connections';
import { connectionKey } from '../shared/keys';

/** What a disconnect did, for the log line. */
export interface DisconnectOutcome {
  readonly connectionId?: string;
  /** The connection's item, when there was one. */
  readonly record?: ConnectionRecord;
  /** For a device: whether its presence item still named this connection and was removed. */
  readonly presenceRemoved?: boolean;
  /** Why nothing was done: the event names no valid connection. */
  readonly problem?: string;
}

/**
 * Forget a closed connection: read `C#<id>` (it says which presence or operator item
 * belongs to it, since $disconnect carries no authorizer context), delete that item,
 * then `C#<id>` itself. A device's presence is deleted only while it still names this
 * connection, so a newer connection of the same device survives an old $disconnect.
 * Idempotent: a connection already forgotten (or never recorded) is a no-op. The
 * announcement goes first: if the call fails halfway, `C#<id>` is still there to find it,
 * and TTL removes whatever a failed $disconnect leaves.
 */
export async function disconnect(event: WebSocketRouteEvent, db: DynamoDb, table: string): Promise<DisconnectOutcome> {
  const connectionId = event?.requestContext?.connectionId;
  try {
    if (typeof connectionId !== 'string') throw new Error('requestContext.connectionId is missing');
    connectionKey(connectionId);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const record = await readConnection(db, table, connectionId);
  let presenceRemoved: boolean | undefined;
  if (record?.role === 'device') {
    presenceRemoved = await deletePresenceIfCurrent(db, table, record.tenantId, record.deviceId, connectionId);
  } else if (record?.role === 'operator') {
    await db.deleteItem({ TableName: table, Key: announcementKey(connectionId, record) });
  }
  await db.deleteItem({ TableName: table, Key: connectionItemKey(connectionId) });
  return { connectionId, record, presenceRemoved };
}
