import type { RecordHandler } from './consumer';
import { MessageFormatError } from './envelope';
import { HandlerError } from '../shared/errors';

/** Settings of the example order-event logic. */
export interface OrderEventSettings {
  /** A message whose body contains this text fails every time (simulates a poison message). */
  readonly failMarker?: string;
  /** Receives what was processed; the example only logs it. */
  readonly onProcessed: (event: { orderId: string; eventType: string; messageId: string; dedupeKey: string }) => void;
}

/** The marker message could not be processed: a stand-in for a permanent business failure. */
export class PoisonMessageError extends HandlerError {
  constructor(messageId: string) {
    super('POISON_MESSAGE', `message ${messageId} carries the failure marker and is rejected`, false);
  }
}

/**
 * The example business logic the example consumer wires: an order event is a JSON object
 * with string `orderId` and `eventType`. Anything else, and a body carrying the failure
 * marker, is rejected (and, after maxReceiveCount receives, dead-lettered by SQS).
 * The labs reuse `createBatchConsumer` with their own record handlers instead of this one.
 */
export function orderEventHandler(settings: OrderEventSettings): RecordHandler {
  return (message) => {
    if (settings.failMarker && message.body.includes(settings.failMarker)) throw new PoisonMessageError(message.messageId);
    const event = message.json<Record<string, unknown> | null>();
    if (typeof event !== 'object' || event === null || typeof event.orderId !== 'string' || typeof event.eventType !== 'string') {
      throw new MessageFormatError(`message ${message.messageId} is not an order event: it needs string orderId and eventType`);
    }
    settings.onProcessed({ orderId: event.orderId, eventType: event.eventType, messageId: message.messageId, dedupeKey: message.dedupeKey });
  };
}
