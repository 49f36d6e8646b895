import { connect } from './connect';
import { parseWsConnectionsSettings, WS_CONNECTIONS_SETTINGS_VARIABLE, WsConnectionsSettings } from '../../../../examples/iot-platform/ws-connections-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import type { RouteResponse, WebSocketRouteEvent } from '../shared/connections';

// $connect of the device-commands WebSocket API. Settings: examples/iot-platform/ws-connections-settings.ts.
const settings = parseWsConnectionsSettings(JsonConfig.fromEnvironment<WsConnectionsSettings>(WS_CONNECTIONS_SETTINGS_VARIABLE));

export const handler = createHandler<WebSocketRouteEvent, RouteResponse>('iot-ws-connect', ({ logger }) => {
  const deps = { db: dynamoDb(), ...settings, now: Date.now };
  return async (event) => {
    const outcome = await connect(event, deps);
    if (outcome.problem !== undefined) {
      logger.error('connection refused', { statusCode: outcome.response.statusCode, problem: outcome.problem });
    } else {
      const { owner, connectionId } = outcome;
      logger.info('connected', { connectionId, tenantId: owner.tenantId, role: owner.role, sub: owner.sub, deviceId: owner.deviceId });
    }
    return outcome.response;
  };
});
