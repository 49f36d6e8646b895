// The settings contract between the IoT platform stack and its telemetry-consumer function
// (lambda-src/examples/iot-platform/telemetry-consumer, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const TELEMETRY_CONSUMER_SETTINGS_VARIABLE = 'TELEMETRY_CONSUMER_CONFIG';

export interface TelemetryConsumerSettings {
  /** The readings table the consumer writes to. */
  readonly readingsTable: string;
  /** The device registry, read through its `bySub` index to map a token subject to a device. */
  readonly registryTable: string;
  /** The registry's index by Cognito subject (partition key `sub`). */
  readonly bySubIndex: string;
  /** The queue rejected records are kept in, with their reason. */
  readonly rejectedQueueUrl: string;
  /** The FanoutTopic analytics events are published to. */
  readonly analyticsTopicArn: string;
  /** A `temperature` reading above this publishes a `threshold.exceeded` event. */
  readonly temperatureThreshold: number;
}

export function parseTelemetryConsumerSettings(config: SettingsReader<TelemetryConsumerSettings>): TelemetryConsumerSettings {
  const settings: TelemetryConsumerSettings = {
    readingsTable: config.string('readingsTable'),
    registryTable: config.string('registryTable'),
    bySubIndex: config.string('bySubIndex'),
    rejectedQueueUrl: config.string('rejectedQueueUrl'),
    analyticsTopicArn: config.string('analyticsTopicArn'),
    temperatureThreshold: config.number('temperatureThreshold', { min: -273, max: 10_000 }, 80),
  };
  config.validate();
  return settings;
}
