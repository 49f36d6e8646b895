import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CrossServiceLabStack } from '../../examples/cross-service/cross-service-lab-stack';
import { INVENTORY_CONSUMER_SETTINGS_VARIABLE, parseInventoryConsumerSettings } from '../../examples/cross-service/inventory-consumer-settings';
import { NOTIFICATION_CONSUMER_SETTINGS_VARIABLE, parseNotificationConsumerSettings } from '../../examples/cross-service/notification-consumer-settings';
import { parsePlaceOrderSettings, PLACE_ORDER_SETTINGS_VARIABLE } from '../../examples/cross-service/place-order-settings';
import { JsonConfig } from '../../lambda-src/shared/config';
import { synthesizedSettings, TOKEN, withRenamedKey } from '../helpers/settings-contract';

// The contracts between the cross-service lab stack and its three Lambda handlers: what the
// stack synthesizes, each handler's own parser reads as the lab meant it.
const template = Template.fromStack(new CrossServiceLabStack(new App(), 'Lab'));
const inventory = () => synthesizedSettings(template, INVENTORY_CONSUMER_SETTINGS_VARIABLE);
const notification = () => synthesizedSettings(template, NOTIFICATION_CONSUMER_SETTINGS_VARIABLE);
const placeOrder = () => synthesizedSettings(template, PLACE_ORDER_SETTINGS_VARIABLE);

describe('cross-service lab settings contracts', () => {
  test('the inventory consumer reads the reservations table and the queue\'s maxReceiveCount', () => {
    expect(parseInventoryConsumerSettings(new JsonConfig(INVENTORY_CONSUMER_SETTINGS_VARIABLE, inventory())))
      .toEqual({ reservationsTable: TOKEN, maxReceiveCount: 3, reservationTtlSeconds: 86_400 });
  });

  test('the notification consumer reads the queue\'s maxReceiveCount', () => {
    expect(parseNotificationConsumerSettings(new JsonConfig(NOTIFICATION_CONSUMER_SETTINGS_VARIABLE, notification())))
      .toEqual({ maxReceiveCount: 3 });
  });

  test('place-order reads the breaker function and the order events topic', () => {
    expect(parsePlaceOrderSettings(new JsonConfig(PLACE_ORDER_SETTINGS_VARIABLE, placeOrder())))
      .toEqual({ inventoryBreakerFunction: TOKEN, orderEventsTopicArn: TOKEN });
  });

  test('a field the stack renamed would fail the inventory and place-order contracts', () => {
    expect(() => parseInventoryConsumerSettings(new JsonConfig(INVENTORY_CONSUMER_SETTINGS_VARIABLE, withRenamedKey(inventory(), 'reservationsTable', 'table'))))
      .toThrow(/reservationsTable must be a non-empty string/);
    expect(() => parsePlaceOrderSettings(new JsonConfig(PLACE_ORDER_SETTINGS_VARIABLE, withRenamedKey(placeOrder(), 'orderEventsTopicArn', 'topicArn'))))
      .toThrow(/orderEventsTopicArn must be a non-empty string/);
  });
});
