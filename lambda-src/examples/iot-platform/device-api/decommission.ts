import { deviceNotFound } from './answers';
import type { Registry } from './registry';
import type { CognitoIdentityProvider } from '../../../shared/aws/cognito-idp';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import type { WebSocketConnections } from '../../../shared/aws/websocket-connections';
import { deviceKey, PRESENCE_SORT_KEY } from '../shared/keys';

// DELETE /v2/devices/{deviceId}: the registry item is marked decommissioned (the telemetry
// consumer then rejects the device), its Cognito user is disabled (no new tokens), and its
// open WebSocket, if any, is closed. Each step may be repeated: a DELETE that failed half
// way is retried as a whole.

export interface DecommissionDependencies {
  readonly registry: Registry;
  /** The caller's tenant session, for the presence item. */
  readonly dynamo: DynamoDb;
  readonly connectionsTable: string;
  readonly cognito: CognitoIdentityProvider;
  readonly userPoolId: string;
  readonly connections: WebSocketConnections;
  readonly info: (message: string, attributes: Record<string, unknown>) => void;
}

export async function decommissionDevice(deps: DecommissionDependencies, tenant: string, deviceId: string): Promise<void> {
  const record = await deps.registry.decommission(tenant, deviceId);
  // Another tenant's device is absent under the caller's key: nothing was changed.
  if (!record) throw deviceNotFound(deviceId);
  try {
    await deps.cognito.adminDisableUser({ UserPoolId: deps.userPoolId, Username: record.username });
  } catch (error) {
    if (!isAwsError(error, 'UserNotFoundException')) throw error;
    deps.info('the decommissioned device has no user to disable', { deviceId });
  }
  const key = { pk: { S: deviceKey(tenant, deviceId) }, sk: { S: PRESENCE_SORT_KEY } };
  const { Item } = await deps.dynamo.getItem({ TableName: deps.connectionsTable, Key: key, ConsistentRead: true });
  const connectionId = Item?.connectionId?.S;
  if (connectionId === undefined) return;
  try {
    await deps.connections.deleteConnection(connectionId);
  } catch (error) {
    // The client already left: its $disconnect (or the TTL) cleans up.
    if (!isAwsError(error, 'GoneException', 'Http410', 'NotFoundException', 'Http404')) throw error;
    deps.info('the decommissioned device\'s connection was already gone', { deviceId });
  }
}
