import { Channel, notify } from './notifications';
import { NOTIFICATIONS_SETTINGS_VARIABLE, NotificationsSettingsDocument, parseNotificationsSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createConsumerHandler } from '../../../fanout-consumer/handler';
import { JsonConfig } from '../../../shared';

// Consumes both queues of the café's notification topic (customer and kitchen). Settings:
// examples/lambda-integration/cafe-settings.ts.
const { kitchenQueueArn, maxReceiveCount } =
  parseNotificationsSettings(JsonConfig.fromEnvironment<NotificationsSettingsDocument>(NOTIFICATIONS_SETTINGS_VARIABLE));

const channelOf = (queueArn: string): Channel => (queueArn === kitchenQueueArn ? 'kitchen' : 'customer');

export const handler = createConsumerHandler('cafe-notifications', ({ logger, metrics }) => ({
  recordHandler: notify(channelOf, (notification) => {
    logger.info('notification sent', { ...notification });
    metrics.addMetric(notification.channel === 'kitchen' ? 'KitchenTickets' : 'CustomerNotifications', 'Count', 1);
  }),
  maxReceiveCount,
}));
