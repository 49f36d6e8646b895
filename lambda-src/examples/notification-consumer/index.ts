import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { notifyUser } from './notifications';
import { createBatchConsumer } from '../../fanout-consumer/consumer';
import { createLogger, createMetrics, JsonConfig } from '../../shared';

// The lab's notification consumer. Settings (written by the lab stack):
//   NOTIFICATION_CONSUMER_CONFIG = {"maxReceiveCount":3}
const config = process.env.NOTIFICATION_CONSUMER_CONFIG
  ? JsonConfig.fromEnvironment('NOTIFICATION_CONSUMER_CONFIG')
  : new JsonConfig('NOTIFICATION_CONSUMER_CONFIG', {});
const maxReceiveCount = config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3);
config.validate();

const logger = createLogger('notification-consumer');
const metrics = createMetrics('notification-consumer');
const consume = createBatchConsumer({
  recordHandler: notifyUser((notification) => {
    logger.info('notification sent', { ...notification });
    metrics.addMetric('NotificationsSent', 'Count', 1);
  }),
  logger,
  metrics,
  maxReceiveCount,
});

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return consume(event, context);
}
