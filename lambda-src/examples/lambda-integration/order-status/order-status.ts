import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Item, s } from '../shared/item';
import { ID_PATTERN, orderView, OrderView, parseOrderItem } from '../shared/order';

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
export async function orderStatus(request: StatusRequest, client: DynamoDBClient, ordersTable: string): Promise<StatusAnswer> {
  const { orderId, callerId } = request;
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId) || typeof callerId !== 'string' || callerId.length === 0) return { found: false };
  const { Item: item } = await client.send(new GetItemCommand({ TableName: ordersTable, Key: { orderId: s(orderId) }, ConsistentRead: true }));
  const { order } = parseOrderItem(item as Item | undefined);
  if (!order || order.customerId !== callerId) return { found: false };
  return { found: true, order: orderView(order) };
}
