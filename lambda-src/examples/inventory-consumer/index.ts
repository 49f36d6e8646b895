import { reserveStock } from './reservations';
import { createConsumerHandler } from '../../fanout-consumer/handler';
import { JsonConfig } from '../../shared';
import { dynamoDb } from '../../shared/aws/dynamodb';

// The lab's inventory consumer: order events from its FanoutTopic queue become stock
// reservations. Settings (written by the lab stack):
//   INVENTORY_CONSUMER_CONFIG = {"reservationsTable":"<name>","maxReceiveCount":3}
const config = JsonConfig.fromEnvironment('INVENTORY_CONSUMER_CONFIG');
const tableName = config.string('reservationsTable');
const maxReceiveCount = config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }, 3);
const ttlSeconds = config.number('reservationTtlSeconds', { min: 60, max: 31_536_000, integer: true }, 86_400);
config.validate();

export const handler = createConsumerHandler('inventory-consumer', ({ logger, metrics }) => ({
  recordHandler: reserveStock({
    client: dynamoDb(),
    tableName,
    ttlSeconds,
    now: Date.now,
    onReserved: (reservation) => {
      logger.info('stock reserved', reservation);
      if (!reservation.duplicate) metrics.addMetric('StockReserved', 'Count', reservation.quantity);
    },
  }),
  maxReceiveCount,
}));
