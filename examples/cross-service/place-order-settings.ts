// The settings contract between the lab stack (which writes them) and the lab's
// place-order function (lambda-src/examples/place-order, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const PLACE_ORDER_SETTINGS_VARIABLE = 'PLACE_ORDER_CONFIG';

export interface PlaceOrderSettings {
  /** Name of the inventory circuit breaker function the stock check goes through. */
  readonly inventoryBreakerFunction: string;
  /** ARN of the topic order events are published to. */
  readonly orderEventsTopicArn: string;
}

export function parsePlaceOrderSettings(config: SettingsReader<PlaceOrderSettings>): PlaceOrderSettings {
  const settings: PlaceOrderSettings = {
    inventoryBreakerFunction: config.string('inventoryBreakerFunction'),
    orderEventsTopicArn: config.string('orderEventsTopicArn'),
  };
  config.validate();
  return settings;
}
