// The settings contract between the API Gateway lab stack (which writes them) and its
// orders function (lambda-src/examples/api-gateway/orders, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const ORDERS_SETTINGS_VARIABLE = 'ORDERS_CONFIG';

export interface OrdersSettings {
  /** The orders table (partition key `orderId`). */
  readonly ordersTable: string;
  /** Its index by customer (partition key `customerId`, sort key `createdAt`). */
  readonly customerIndex: string;
}

export function parseOrdersSettings(config: SettingsReader<OrdersSettings>): OrdersSettings {
  const settings: OrdersSettings = {
    ordersTable: config.string('ordersTable'),
    customerIndex: config.string('customerIndex'),
  };
  config.validate();
  return settings;
}
