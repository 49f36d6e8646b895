// The settings contract between the IoT platform stack and its analytics-aggregator function
// (a FanoutTopic consumer in lambda-src/examples/iot-platform/analytics-aggregator).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE = 'ANALYTICS_AGGREGATOR_CONFIG';

export interface AnalyticsAggregatorSettings {
  /** The readings table, whose `AGG#<hour>` items hold the hourly counters. */
  readonly readingsTable: string;
}

export function parseAnalyticsAggregatorSettings(config: SettingsReader<AnalyticsAggregatorSettings>): AnalyticsAggregatorSettings {
  const settings: AnalyticsAggregatorSettings = {
    readingsTable: config.string('readingsTable'),
  };
  config.validate();
  return settings;
}
