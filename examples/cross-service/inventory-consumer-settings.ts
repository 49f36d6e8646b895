// The settings contract between the lab stack (which writes them) and the lab's inventory
// consumer (lambda-src/examples/inventory-consumer, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const INVENTORY_CONSUMER_SETTINGS_VARIABLE = 'INVENTORY_CONSUMER_CONFIG';

export interface InventoryConsumerSettings {
  /** The DynamoDB table stock reservations go to. */
  readonly reservationsTable: string;
  /** The queue's maxReceiveCount, to flag failures that will dead-letter the message. */
  readonly maxReceiveCount: number;
  /** How long a reservation is kept. */
  readonly reservationTtlSeconds: number;
}

export type InventoryConsumerSettingsDocument = Pick<InventoryConsumerSettings, 'reservationsTable'> & Partial<InventoryConsumerSettings>;

export function parseInventoryConsumerSettings(config: SettingsReader<InventoryConsumerSettingsDocument>): InventoryConsumerSettings {
  const settings: InventoryConsumerSettings = {
    reservationsTable: config.string('reservationsTable'),
    maxReceiveCount: config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3),
    reservationTtlSeconds: config.number('reservationTtlSeconds', { min: 60, max: 31_536_000, integer: true }, 86_400),
  };
  config.validate();
  return settings;
}
