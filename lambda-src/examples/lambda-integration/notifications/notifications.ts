import type { RecordHandler } from '../../../fanout-consumer/consumer';
import { MessageFormatError } from '../../../fanout-consumer/envelope';

/** The messages of the café's notification topic. */
export const NOTIFICATION_EVENT_TYPES = ['order.completed', 'order.cancelled', 'order.rejected', 'order.status-changed'] as const;
export type NotificationEventType = typeof NOTIFICATION_EVENT_TYPES[number];

/** Who a queue notifies: the customer's channel gets every message, the kitchen only paid orders (by filter policy). */
export type Channel = 'customer' | 'kitchen';

/** A notification the lab "sends": written to the consumer's log (a real café would use SES or SMS here). */
export interface Notification {
  readonly channel: Channel;
  readonly eventType: NotificationEventType;
  readonly orderId: string;
  readonly customerId: string;
  readonly text: string;
}

const dollars = (cents: unknown) => (typeof cents === 'number' ? `$${(cents / 100).toFixed(2)}` : 'the order total');

/**
 * Turn a topic message into the notification of the queue's channel: the workflow's
 * outcome messages (completed, cancelled, rejected) and the bus's status changes. A message
 * without its fields fails alone and, after maxReceiveCount receives, rests in the queue's
 * dead-letter queue.
 */
export function notify(channelOf: (queueArn: string) => Channel, send: (notification: Notification) => void): RecordHandler {
  return (message) => {
    const event = message.json<Record<string, unknown> | null>();
    const eventType = event?.eventType as NotificationEventType;
    if (!event || !NOTIFICATION_EVENT_TYPES.includes(eventType) || typeof event.orderId !== 'string' || typeof event.customerId !== 'string') {
      throw new MessageFormatError(`message ${message.messageId} is not a café notification: it needs eventType (${NOTIFICATION_EVENT_TYPES.join(', ')}), orderId and customerId`);
    }
    const channel = channelOf(message.eventSourceArn);
    send({ channel, eventType, orderId: event.orderId, customerId: event.customerId, text: textFor(channel, eventType, event) });
  };
}

function textFor(channel: Channel, eventType: NotificationEventType, event: Record<string, unknown>): string {
  const order = `Order ${String(event.orderId)}`;
  if (channel === 'kitchen') {
    const lines = Array.isArray(event.lines) ? event.lines as Array<{ quantity?: unknown; name?: unknown }> : [];
    return `Make ${order.toLowerCase()}: ${lines.map((l) => `${String(l.quantity)} x ${String(l.name)}`).join(', ') || 'see the order'}`;
  }
  switch (eventType) {
    case 'order.completed': return `Thank you! ${order} is paid (${dollars(event.totalCents)}) and on its way to the barista.`;
    case 'order.cancelled': return `${order} was cancelled; anything charged is refunded.`;
    case 'order.rejected': return `${order} could not be accepted (${String(event.reason ?? 'no reason given')}); nothing was charged.`;
    case 'order.status-changed': return `${order} is now ${String(event.status ?? 'updated').toLowerCase()}.`;
  }
}
