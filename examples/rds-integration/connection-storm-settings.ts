// The settings contract between the lab stack and the connection-storm function
// (lambda-src/examples/rds-integration/connection-storm). The proxy connection comes from
// DB_QUERY_CONFIG (ProxiedDatabase.connectionEnvironment); this variable only exists when
// the stack is deployed with the direct-connection exercise.
import type { SettingsReader } from '../../lambda-src/shared/config';

export const CONNECTION_STORM_SETTINGS_VARIABLE = 'STORM_CONFIG';

/** Where the storm connects without the proxy: the instance, as the same user, with its password. */
export interface DirectInstanceSettings {
  readonly host: string;
  readonly port: number;
  /** The application user's secret, read for its password. */
  readonly secretArn: string;
}

export interface ConnectionStormSettings {
  /** @default - no direct path: target "instance" is refused */
  readonly instance?: DirectInstanceSettings;
}

export function parseConnectionStormSettings(config: SettingsReader<ConnectionStormSettings>): ConnectionStormSettings {
  const raw = config.raw('instance');
  if (raw === undefined) {
    config.validate();
    return {};
  }
  const instance = raw as Partial<Record<keyof DirectInstanceSettings, unknown>> | null;
  const host = instance?.host;
  const port = instance?.port;
  const secretArn = instance?.secretArn;
  if (typeof host !== 'string' || host.length === 0) config.fail(`instance.host must be a non-empty string, got ${JSON.stringify(host)}`);
  // CloudFormation renders the endpoint port attribute as a string.
  const portNumber = typeof port === 'string' ? Number(port) : port;
  if (typeof portNumber !== 'number' || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    config.fail(`instance.port must be a port number (1-65535), got ${JSON.stringify(port)}`);
  }
  if (typeof secretArn !== 'string' || !secretArn.startsWith('arn:')) config.fail(`instance.secretArn must be a secret ARN, got ${JSON.stringify(secretArn)}`);
  config.validate();
  return { instance: { host: host as string, port: portNumber as number, secretArn: secretArn as string } };
}
