import { alertOperators } from './operator-alerts';
import {
  ALERT_NOTIFIER_SETTINGS_VARIABLE, AlertNotifierSettings, parseAlertNotifierSettings,
} from '../../../../examples/iot-platform/alert-notifier-settings';
import { createConsumerHandler } from '../../../fanout-consumer/handler';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { webSocketConnections } from '../../../shared/aws/websocket-connections';
import { JsonConfig } from '../../../shared/config';

// The IoT platform's alert notifier: consumer of the AnalyticsEvents FanoutTopic's
// OperatorAlerts queue (partial batch responses). Settings: examples/iot-platform/alert-notifier-settings.ts.
const settings = parseAlertNotifierSettings(JsonConfig.fromEnvironment<AlertNotifierSettings>(ALERT_NOTIFIER_SETTINGS_VARIABLE));

export const handler = createConsumerHandler('alert-notifier', ({ logger, metrics }) => ({
  recordHandler: alertOperators({
    client: dynamoDb(),
    connectionsTable: settings.connectionsTable,
    connections: webSocketConnections(settings.commandsCallbackUrl),
    onDelivered: (outcome) => {
      logger.info('alert delivered', outcome);
      metrics.addMetric('AlertsDelivered', 'Count', outcome.delivered);
    },
  }),
}));
