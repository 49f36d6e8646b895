import { createConsumerHandler } from './handler';
import { orderEventHandler } from './order-events';
import {
  FANOUT_CONSUMER_SETTINGS_VARIABLE, FanoutConsumerSettingsDocument, parseFanoutConsumerSettings,
} from '../../src/messaging/fanout-consumer-settings';
import { optionalJsonConfig } from '../shared/config';

// The example fan-out consumer: Powertools partial batch responses around the example
// order-event logic. Settings (src/messaging/fanout-consumer-settings.ts) come from one
// JSON environment variable, checked at init; every setting is optional.
const { serviceName, failMarker, ...options } = parseFanoutConsumerSettings(
  optionalJsonConfig<FanoutConsumerSettingsDocument>(FANOUT_CONSUMER_SETTINGS_VARIABLE));

export const handler = createConsumerHandler(serviceName, ({ logger }) => ({
  recordHandler: orderEventHandler({
    failMarker,
    onProcessed: (event) => logger.info('order event processed', event),
  }),
  ...options,
}));
