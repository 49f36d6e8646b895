import type { RecordHandler } from '../../fanout-consumer/consumer';
import { MessageFormatError } from '../../fanout-consumer/envelope';
import { PoisonMessageError } from '../../fanout-consumer/order-events';
import type { DynamoDb } from '../../shared/aws/dynamodb';
import { isAwsError } from '../../shared/aws/errors';

/** Where reservations go and what counts as a poison message. */
export interface ReservationSettings {
  readonly client: DynamoDb;
  readonly tableName: string;
  /** Reservations expire (DynamoDB TTL) this long after the order, in seconds. */
  readonly ttlSeconds: number;
  readonly now: () => number;
  readonly onReserved: (reservation: { orderId: string; sku: string; quantity: number; duplicate: boolean }) => void;
}

/**
 * The inventory service's reaction to `order.created`: reserve the ordered units, once per
 * order. The conditional put makes redelivered or duplicated events harmless. An event
 * flagged `"poison": true` (the lab's DLQ exercise) or without the fields fails on every
 * attempt and so reaches the queue's DLQ after maxReceiveCount receives.
 */
export function reserveStock(settings: ReservationSettings): RecordHandler {
  return async (message) => {
    const event = message.json<Record<string, unknown> | null>();
    if (event && event.poison === true) throw new PoisonMessageError(message.messageId);
    if (!event || typeof event.orderId !== 'string' || typeof event.sku !== 'string' || typeof event.quantity !== 'number') {
      throw new MessageFormatError(`message ${message.messageId} is not an order.created event: it needs orderId, sku and quantity`);
    }
    const nowSeconds = Math.floor(settings.now() / 1000);
    let duplicate = false;
    try {
      await settings.client.putItem({
        TableName: settings.tableName,
        Item: {
          pk: { S: `order#${event.orderId}` },
          sku: { S: event.sku },
          quantity: { N: String(event.quantity) },
          reservedAt: { N: String(nowSeconds) },
          sourceMessageId: { S: message.dedupeKey },
          ttl: { N: String(nowSeconds + settings.ttlSeconds) },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      duplicate = true;
    }
    settings.onReserved({ orderId: event.orderId, sku: event.sku, quantity: event.quantity, duplicate });
  };
}
