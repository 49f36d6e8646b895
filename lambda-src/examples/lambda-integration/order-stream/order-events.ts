import type { DynamoDBRecord } from 'aws-lambda';
import { CafeError } from '../shared/errors';
import { Item } from '../shared/item';
import { Order, parseOrderItem } from '../shared/order';

/** The `source` of every event the orders service puts on the café bus. */
export const ORDER_EVENT_SOURCE = 'cafe.orders';

/** A new order, announced once it is stored: the order workflow starts on it. */
export interface OrderPlacedDetail {
  readonly orderId: string;
  readonly customerId: string;
  readonly totalCents: number;
  readonly lineCount: number;
  readonly placedAt: string;
}

/** An order moved from one status to another: notifications follow it. */
export interface OrderStatusChangedDetail {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly previousStatus: string;
  readonly totalCents: number;
  readonly changedAt: string;
  readonly reason?: string;
}

export type OrderEvent =
  | { readonly detailType: 'OrderPlaced'; readonly detail: OrderPlacedDetail }
  | { readonly detailType: 'OrderStatusChanged'; readonly detail: OrderStatusChangedDetail };

/** A stream record that is not an order the café wrote (e.g. an item put by hand): it cannot be announced. */
export class MalformedOrderRecord extends CafeError {
  constructor(sequenceNumber: string | undefined, problems: string[]) {
    super('MalformedOrderRecord', `stream record ${sequenceNumber ?? '(no sequence number)'} is not a valid order: ${problems.join('; ')}`);
  }
}

/**
 * What a change of the orders table means for the rest of the café: an INSERT is a new
 * order (OrderPlaced), a MODIFY that changes the status is an OrderStatusChanged, anything
 * else (other modifications, deletions) is nobody's business and gives undefined.
 */
export function orderEventFor(record: DynamoDBRecord): OrderEvent | undefined {
  if (record.eventName === 'REMOVE') return undefined;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  const parsed = parseOrderItem(record.dynamodb?.NewImage as Item | undefined);
  if (!parsed.order) throw new MalformedOrderRecord(sequenceNumber, parsed.problems);
  const order: Order = parsed.order;
  if (record.eventName === 'INSERT') {
    if (order.status !== 'PLACED') throw new MalformedOrderRecord(sequenceNumber, [`a new order must be PLACED, not ${order.status}`]);
    return {
      detailType: 'OrderPlaced',
      detail: {
        orderId: order.orderId,
        customerId: order.customerId,
        totalCents: order.totalCents,
        lineCount: order.lines.length,
        placedAt: order.createdAt,
      },
    };
  }
  const previousStatus = record.dynamodb?.OldImage?.status?.S;
  if (previousStatus === order.status) return undefined;
  const detail: OrderStatusChangedDetail = {
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    previousStatus: previousStatus ?? 'UNKNOWN',
    totalCents: order.totalCents,
    changedAt: order.updatedAt,
  };
  return { detailType: 'OrderStatusChanged', detail: order.statusReason ? { ...detail, reason: order.statusReason } : detail };
}
