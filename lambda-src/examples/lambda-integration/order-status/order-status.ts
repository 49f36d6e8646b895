import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { ID_PATTERN, orderView, OrderView, parseOrderItem } from '../shared/order';
import { readOrderItem } from '../shared/orders-table';

/** The EXPRESS workflow's input for GET /orders/{orderId}: the path and the authorizer context. */
export interface StatusRequest {
  readonly orderId?: unknown;
  readonly callerId?: unknown;
}

/** `found: false` covers "no such order", "not yours" and "malformed id" alike: callers learn nothing more. */
export type StatusAnswer = { readonly found: true; readonly order: OrderView } | { readonly found: false };

/**
 * Look an order up for its customer: a consistent read (a customer who just placed an
 * order sees it), the owner check, and the customer's view of it.
 */
export async function orderStatus(request: StatusRequest, client: DynamoDb, ordersTable: string): Promise<StatusAnswer> {
  const { orderId, callerId } = request;
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId) || typeof callerId !== 'string' || callerId.length === 0) return { found: false };
  const { order } = parseOrderItem(await readOrderItem(client, ordersTable, orderId));
  if (!order || order.customerId !== callerId) return { found: false };
  return { found: true, order: orderView(order) };
}
