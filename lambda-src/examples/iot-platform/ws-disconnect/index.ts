import { disconnect } from './disconnect';
import { parseWsConnectionsSettings, WS_CONNECTIONS_SETTINGS_VARIABLE, WsConnectionsSettings } from '../../../../examples/iot-platform/ws-connections-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import type { RouteResponse, WebSocketRouteEvent } from '../shared/connections';

// $disconnect of the device-commands WebSocket API: best effort, TTL cleans up what it misses.
// Settings: examples/iot-platform/ws-connections-settings.ts.
const { connectionsTable } = parseWsConnectionsSettings(JsonConfig.fromEnvironment<WsConnectionsSettings>(WS_CONNECTIONS_SETTINGS_VARIABLE));

export const handler = createHandler<WebSocketRouteEvent, RouteResponse>('iot-ws-disconnect', ({ logger }) => {
  const db = dynamoDb();
  return async (event) => {
    const outcome = await disconnect(event, db, connectionsTable);
    if (outcome.problem !== undefined) {
      logger.error('disconnect ignored', { problem: outcome.problem });
    } else {
      const { connectionId, record, presenceRemoved } = outcome;
      logger.info('disconnected', {
        connectionId, known: record !== undefined, tenantId: record?.tenantId, role: record?.role, deviceId: record?.deviceId, presenceRemoved,
      });
    }
    return { statusCode: 200 };
  };
});
