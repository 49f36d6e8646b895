// The settings contract between the IoT platform stack (which writes them) and its
// device-api function (lambda-src/examples/iot-platform/device-api, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const DEVICE_API_SETTINGS_VARIABLE = 'DEVICE_API_CONFIG';

export interface DeviceApiSettings {
  /** The device registry (pk `T#<tenant>#D#<device>`, sk `META`). */
  readonly registryTable: string;
  /** Its index by tenant (partition key `tenantId`, sort key `deviceId`). */
  readonly byTenantIndex: string;
  /** The readings table (pk `T#<tenant>#D#<device>`, sk `R#<epoch ms>#<n>`). */
  readonly readingsTable: string;
  /** The role every table call is made with, assumed with the session tag `tenantId`. */
  readonly tenantDataRoleArn: string;
  /** The Cognito user pool device identities are created in. */
  readonly userPoolId: string;
  /** Name of the circuit breaker in front of device-service (the status route). */
  readonly statusBreakerFunction: string;
  /** The connections table, read to close a decommissioned device's socket. */
  readonly connectionsTable: string;
  /** The command WebSocket stage's callback URL (`https://<api>.execute-api.<region>.amazonaws.com/prod`). */
  readonly commandsCallbackUrl: string;
}

export function parseDeviceApiSettings(config: SettingsReader<DeviceApiSettings>): DeviceApiSettings {
  const settings: DeviceApiSettings = {
    registryTable: config.string('registryTable'),
    byTenantIndex: config.string('byTenantIndex'),
    readingsTable: config.string('readingsTable'),
    tenantDataRoleArn: config.string('tenantDataRoleArn'),
    userPoolId: config.string('userPoolId'),
    statusBreakerFunction: config.string('statusBreakerFunction'),
    connectionsTable: config.string('connectionsTable'),
    commandsCallbackUrl: config.string('commandsCallbackUrl'),
  };
  config.validate();
  return settings;
}
