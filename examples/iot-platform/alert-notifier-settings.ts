// The settings contract between the IoT platform stack and its alert-notifier function
// (a FanoutTopic consumer in lambda-src/examples/iot-platform/alert-notifier).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const ALERT_NOTIFIER_SETTINGS_VARIABLE = 'ALERT_NOTIFIER_CONFIG';

export interface AlertNotifierSettings {
  /** The connections table, queried for `T#<tenant>#OPS` (the tenant's operator connections). */
  readonly connectionsTable: string;
  /** The command WebSocket stage's callback URL. */
  readonly commandsCallbackUrl: string;
}

export function parseAlertNotifierSettings(config: SettingsReader<AlertNotifierSettings>): AlertNotifierSettings {
  const settings: AlertNotifierSettings = {
    connectionsTable: config.string('connectionsTable'),
    commandsCallbackUrl: config.string('commandsCallbackUrl'),
  };
  config.validate();
  return settings;
}
