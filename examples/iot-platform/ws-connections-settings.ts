// The settings contract between the IoT platform stack and its WebSocket route handlers
// (lambda-src/examples/iot-platform/ws-connect, ws-disconnect and ws-send-command): all
// three work on the connections table, and only connect and send-command need more.
import type { SettingsReader } from '../../lambda-src/shared/config';

export const WS_CONNECTIONS_SETTINGS_VARIABLE = 'WS_CONNECTIONS_CONFIG';

export interface WsConnectionsSettings {
  /** The connections table (pk/sk, TTL attribute `ttl`). */
  readonly connectionsTable: string;
  /** How long connection items live, in seconds (API Gateway closes a connection after 2 hours). */
  readonly connectionTtlSeconds: number;
}

export function parseWsConnectionsSettings(config: SettingsReader<WsConnectionsSettings>): WsConnectionsSettings {
  const settings: WsConnectionsSettings = {
    connectionsTable: config.string('connectionsTable'),
    connectionTtlSeconds: config.number('connectionTtlSeconds', { min: 60, max: 86_400, integer: true }, 7_500),
  };
  config.validate();
  return settings;
}
