// The settings contracts between the café lab stack (which writes them into each function's
// environment) and the café handlers (lambda-src/examples/lambda-integration/<name>, which
// parse them at init): one variable, one document and one parser per handler.
import type { SettingsReader } from '../../lambda-src/shared/config';

/** Handlers that only read tables. */
export interface MenuSettings {
  readonly menuTable: string;
}
export const MENU_SETTINGS_VARIABLE = 'MENU_CONFIG';
export const INVENTORY_SETTINGS_VARIABLE = 'INVENTORY_CONFIG';
export const MENU_IMPORT_SETTINGS_VARIABLE = 'MENU_IMPORT_CONFIG';

export function parseMenuSettings(config: SettingsReader<MenuSettings>): MenuSettings {
  return done(config, { menuTable: config.string('menuTable') });
}

export interface OrdersSettings {
  readonly ordersTable: string;
}
export const ORDER_STATUS_SETTINGS_VARIABLE = 'ORDER_STATUS_CONFIG';
export const VALIDATE_ORDER_SETTINGS_VARIABLE = 'VALIDATE_ORDER_CONFIG';

export function parseOrdersSettings(config: SettingsReader<OrdersSettings>): OrdersSettings {
  return done(config, { ordersTable: config.string('ordersTable') });
}

export interface PlaceOrderSettings extends MenuSettings, OrdersSettings {}
export const PLACE_ORDER_SETTINGS_VARIABLE = 'PLACE_ORDER_CONFIG';

export function parsePlaceOrderSettings(config: SettingsReader<PlaceOrderSettings>): PlaceOrderSettings {
  return done(config, { menuTable: config.string('menuTable'), ordersTable: config.string('ordersTable') });
}

export interface PaymentsSettings {
  /** Name of the payment circuit breaker function every provider call goes through. */
  readonly breakerFunction: string;
}
export const PAYMENTS_SETTINGS_VARIABLE = 'PAYMENTS_CONFIG';

export function parsePaymentsSettings(config: SettingsReader<PaymentsSettings>): PaymentsSettings {
  return done(config, { breakerFunction: config.string('breakerFunction') });
}

export interface OrderStreamSettings {
  /** The café bus new orders and status changes are announced on. */
  readonly eventBusName: string;
}
export const ORDER_STREAM_SETTINGS_VARIABLE = 'ORDER_STREAM_CONFIG';

export function parseOrderStreamSettings(config: SettingsReader<OrderStreamSettings>): OrderStreamSettings {
  return done(config, { eventBusName: config.string('eventBusName') });
}

export interface SalesReportSettings extends OrdersSettings {
  /** The bucket the report goes to, under reports/. */
  readonly reportBucket: string;
  /** Orders above this total (cents) needed a manager's approval. */
  readonly approvalThresholdCents: number;
}
export const SALES_REPORT_SETTINGS_VARIABLE = 'SALES_REPORT_CONFIG';

export function parseSalesReportSettings(config: SettingsReader<SalesReportSettings>): SalesReportSettings {
  return done(config, {
    ordersTable: config.string('ordersTable'),
    reportBucket: config.string('reportBucket'),
    approvalThresholdCents: config.number('approvalThresholdCents', { min: 0, max: 10_000_000, integer: true }),
  });
}

export interface NotificationsSettings {
  /** Messages from this queue are kitchen tickets; every other queue is the customer's. */
  readonly kitchenQueueArn: string;
  /** The queues' maxReceiveCount, to flag failures that will dead-letter the message. */
  readonly maxReceiveCount: number;
}
export type NotificationsSettingsDocument = Pick<NotificationsSettings, 'kitchenQueueArn'> & Partial<NotificationsSettings>;
export const NOTIFICATIONS_SETTINGS_VARIABLE = 'NOTIFICATIONS_CONFIG';

export function parseNotificationsSettings(config: SettingsReader<NotificationsSettingsDocument>): NotificationsSettings {
  return done(config, {
    kitchenQueueArn: config.string('kitchenQueueArn'),
    maxReceiveCount: config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3),
  });
}

/** Every problem of the document in one error, or the settings. */
function done<T>(config: SettingsReader<unknown>, settings: T): T {
  config.validate();
  return settings;
}
