// The settings contract between the lab stack (which writes them) and the lab's
// notification consumer (lambda-src/examples/notification-consumer, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const NOTIFICATION_CONSUMER_SETTINGS_VARIABLE = 'NOTIFICATION_CONSUMER_CONFIG';

export interface NotificationConsumerSettings {
  /** The queue's maxReceiveCount, to flag failures that will dead-letter the message. */
  readonly maxReceiveCount: number;
}

export type NotificationConsumerSettingsDocument = Partial<NotificationConsumerSettings>;

export function parseNotificationConsumerSettings(config: SettingsReader<NotificationConsumerSettingsDocument>): NotificationConsumerSettings {
  const settings: NotificationConsumerSettings = { maxReceiveCount: config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3) };
  config.validate();
  return settings;
}
