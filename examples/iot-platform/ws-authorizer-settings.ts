// The settings contract between the IoT platform stack and its WebSocket $connect authorizer
// (lambda-src/examples/iot-platform/ws-authorizer).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const WS_AUTHORIZER_SETTINGS_VARIABLE = 'WS_AUTHORIZER_CONFIG';

export interface WsAuthorizerSettings {
  /** The Cognito user pool's issuer (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** Where its signing keys are published (`<issuer>/.well-known/jwks.json`). */
  readonly jwksUri: string;
  /** The device app client: ID tokens with this audience connect as role `device`. */
  readonly deviceClientId: string;
  /** The operator app client: ID tokens with this audience connect as role `operator`. */
  readonly operatorClientId: string;
  /** The device registry and its `bySub` index, to find a device token's device. */
  readonly registryTable: string;
  readonly bySubIndex: string;
}

export function parseWsAuthorizerSettings(config: SettingsReader<WsAuthorizerSettings>): WsAuthorizerSettings {
  const settings: WsAuthorizerSettings = {
    issuer: config.string('issuer'),
    jwksUri: config.string('jwksUri'),
    deviceClientId: config.string('deviceClientId'),
    operatorClientId: config.string('operatorClientId'),
    registryTable: config.string('registryTable'),
    bySubIndex: config.string('bySubIndex'),
  };
  config.validate();
  return settings;
}
