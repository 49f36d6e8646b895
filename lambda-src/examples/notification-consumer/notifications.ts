import type { RecordHandler } from '../../fanout-consumer/consumer';
import { MessageFormatError } from '../../fanout-consumer/envelope';
import { PoisonMessageError } from '../../fanout-consumer/order-events';

/** A notification the lab "sends": it is written to the consumer's log, nowhere else. */
export interface Notification {
  readonly orderId: string;
  readonly userId: string;
  readonly text: string;
}

/**
 * The notification service's reaction to an order event: tell the user. The lab does not
 * send email; it records the notification so the exercise can find it in the logs. The
 * same poison flag as the inventory consumer lets learners watch a DLQ fill up.
 */
export function notifyUser(send: (notification: Notification) => void): RecordHandler {
  return (message) => {
    const event = message.json<Record<string, unknown> | null>();
    if (event && event.poison === true) throw new PoisonMessageError(message.messageId);
    if (!event || typeof event.orderId !== 'string' || typeof event.userId !== 'string' || typeof event.status !== 'string') {
      throw new MessageFormatError(`message ${message.messageId} is not an order event: it needs orderId, userId and status`);
    }
    send({ orderId: event.orderId, userId: event.userId, text: `Your order ${event.orderId} is ${event.status.toLowerCase().replace(/_/g, ' ')}.` });
  };
}
