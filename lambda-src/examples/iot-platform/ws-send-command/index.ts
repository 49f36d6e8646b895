import { sendCommand } from './send-command';
import { parseWsConnectionsSettings, WS_CONNECTIONS_SETTINGS_VARIABLE, WsConnectionsSettings } from '../../../../examples/iot-platform/ws-connections-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { WebSocketConnections, webSocketConnections } from '../../../shared/aws/websocket-connections';
import type { RouteResponse, WebSocketRouteEvent } from '../shared/connections';

// The sendCommand and $default routes of the device-commands WebSocket API (returnResponse).
// Settings: examples/iot-platform/ws-connections-settings.ts.
const { connectionsTable } = parseWsConnectionsSettings(JsonConfig.fromEnvironment<WsConnectionsSettings>(WS_CONNECTIONS_SETTINGS_VARIABLE));

export const handler = createHandler<WebSocketRouteEvent, RouteResponse>('iot-ws-send-command', ({ logger }) => {
  // one @connections client per stage URL (in practice one), kept for its connection reuse
  const clients = new Map<string, WebSocketConnections>();
  const connections = (url: string) => {
    let client = clients.get(url);
    if (!client) clients.set(url, (client = webSocketConnections(url)));
    return client;
  };
  const deps = { db: dynamoDb(), connectionsTable, connections, now: Date.now };
  return async (event) => {
    const { response, record } = await sendCommand(event, deps);
    if (record.deliveryError && record.statusCode !== 410) logger.warn('command not delivered', { ...record });
    else logger.info(record.statusCode === 202 ? 'command sent' : 'command refused', { ...record });
    return response;
  };
});
