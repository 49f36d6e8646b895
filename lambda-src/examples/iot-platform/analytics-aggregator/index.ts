import { countHourlyAggregates } from './hourly-aggregates';
import {
  ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, AnalyticsAggregatorSettings, parseAnalyticsAggregatorSettings,
} from '../../../../examples/iot-platform/analytics-aggregator-settings';
import { createConsumerHandler } from '../../../fanout-consumer/handler';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { JsonConfig } from '../../../shared/config';

// The IoT platform's analytics aggregator: consumer of the AnalyticsEvents FanoutTopic's
// Analytics queue (partial batch responses). Settings: examples/iot-platform/analytics-aggregator-settings.ts.
const settings = parseAnalyticsAggregatorSettings(JsonConfig.fromEnvironment<AnalyticsAggregatorSettings>(ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE));

export const handler = createConsumerHandler('analytics-aggregator', ({ logger, metrics }) => ({
  recordHandler: countHourlyAggregates({
    client: dynamoDb(),
    readingsTable: settings.readingsTable,
    onCounted: (aggregate) => {
      logger.debug('event counted', aggregate);
      metrics.addMetric('EventsAggregated', 'Count', 1);
    },
  }),
}));
