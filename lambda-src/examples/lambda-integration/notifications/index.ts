import { Channel, notify } from './notifications';
import { createConsumerHandler } from '../../../fanout-consumer/handler';
import { JsonConfig } from '../../../shared';

// Consumes both queues of the café's notification topic (customer and kitchen). Settings
// (written by the lab stack): NOTIFICATIONS_CONFIG = {"kitchenQueueArn":"<arn>","maxReceiveCount":3}
const config = JsonConfig.fromEnvironment('NOTIFICATIONS_CONFIG');
const kitchenQueueArn = config.string('kitchenQueueArn');
const maxReceiveCount = config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3);
config.validate();

const channelOf = (queueArn: string): Channel => (queueArn === kitchenQueueArn ? 'kitchen' : 'customer');

export const handler = createConsumerHandler('cafe-notifications', ({ logger, metrics }) => ({
  recordHandler: notify(channelOf, (notification) => {
    logger.info('notification sent', { ...notification });
    metrics.addMetric(notification.channel === 'kitchen' ? 'KitchenTickets' : 'CustomerNotifications', 'Count', 1);
  }),
  maxReceiveCount,
}));
