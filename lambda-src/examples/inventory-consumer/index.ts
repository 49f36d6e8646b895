import { reserveStock } from './reservations';
import {
  INVENTORY_CONSUMER_SETTINGS_VARIABLE, InventoryConsumerSettingsDocument, parseInventoryConsumerSettings,
} from '../../../examples/cross-service/inventory-consumer-settings';
import { createConsumerHandler } from '../../fanout-consumer/handler';
import { dynamoDb } from '../../shared/aws/dynamodb';
import { JsonConfig } from '../../shared/config';

// The lab's inventory consumer: order events from its FanoutTopic queue become stock
// reservations. Settings: examples/cross-service/inventory-consumer-settings.ts.
const settings = parseInventoryConsumerSettings(JsonConfig.fromEnvironment<InventoryConsumerSettingsDocument>(INVENTORY_CONSUMER_SETTINGS_VARIABLE));

export const handler = createConsumerHandler('inventory-consumer', ({ logger, metrics }) => ({
  recordHandler: reserveStock({
    client: dynamoDb(),
    tableName: settings.reservationsTable,
    ttlSeconds: settings.reservationTtlSeconds,
    now: Date.now,
    onReserved: (reservation) => {
      logger.info('stock reserved', reservation);
      if (!reservation.duplicate) metrics.addMetric('StockReserved', 'Count', reservation.quantity);
    },
  }),
  maxReceiveCount: settings.maxReceiveCount,
}));
