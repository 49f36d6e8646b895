import { notifyUser } from './notifications';
import {
  NOTIFICATION_CONSUMER_SETTINGS_VARIABLE, NotificationConsumerSettingsDocument, parseNotificationConsumerSettings,
} from '../../../examples/cross-service/notification-consumer-settings';
import { createConsumerHandler } from '../../fanout-consumer/handler';
import { optionalJsonConfig } from '../../shared/config';

// The lab's notification consumer. Settings: examples/cross-service/notification-consumer-settings.ts.
const settings = parseNotificationConsumerSettings(
  optionalJsonConfig<NotificationConsumerSettingsDocument>(NOTIFICATION_CONSUMER_SETTINGS_VARIABLE));

export const handler = createConsumerHandler('notification-consumer', ({ logger, metrics }) => ({
  recordHandler: notifyUser((notification) => {
    logger.info('notification sent', { ...notification });
    metrics.addMetric('NotificationsSent', 'Count', 1);
  }),
  maxReceiveCount: settings.maxReceiveCount,
}));
