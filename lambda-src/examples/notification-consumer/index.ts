import { notifyUser } from './notifications';
import { createConsumerHandler } from '../../fanout-consumer/handler';
import { optionalJsonConfig } from '../../shared';

// The lab's notification consumer. Settings (written by the lab stack):
//   NOTIFICATION_CONSUMER_CONFIG = {"maxReceiveCount":3}
const config = optionalJsonConfig('NOTIFICATION_CONSUMER_CONFIG');
const maxReceiveCount = config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3);
config.validate();

export const handler = createConsumerHandler('notification-consumer', ({ logger, metrics }) => ({
  recordHandler: notifyUser((notification) => {
    logger.info('notification sent', { ...notification });
    metrics.addMetric('NotificationsSent', 'Count', 1);
  }),
  maxReceiveCount,
}));
