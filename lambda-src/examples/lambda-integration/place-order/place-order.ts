import { createHash } from 'node:crypto';
import { OrderRequest } from './request';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import { ApiError } from '../shared/api';
import { Item, s } from '../shared/item';
import { parseMenuItem } from '../shared/menu-item';
import { linesTotalCents, Order, OrderLine, orderToItem, parseOrderItem } from '../shared/order';
import { readOrderItem } from '../shared/orders-table';

/** What placing an order needs; index.ts wires the real clients and clock. */
export interface PlaceOrderDependencies {
  readonly client: DynamoDb;
  readonly menuTable: string;
  readonly ordersTable: string;
  readonly now: () => Date;
  readonly newOrderId: () => string;
}

/** The order, and whether this request created it (false: an earlier request with the same Idempotency-Key did). */
export interface PlacedOrder {
  readonly order: Order;
  readonly created: boolean;
}

/**
 * Price the lines from the menu and store the order as PLACED. Nothing else happens here:
 * the table's stream announces the new order (OrderPlaced) and the workflow takes over, so
 * the order and its announcement can never disagree. With an idempotency key a retried
 * request finds the order it created the first time instead of placing a second one.
 */
export async function placeOrder(
  request: OrderRequest, customerId: string, key: string | undefined, deps: PlaceOrderDependencies,
): Promise<PlacedOrder> {
  const orderId = key ? orderIdFor(customerId, key) : deps.newOrderId();
  if (key) {
    const existing = await readOrder(deps, orderId);
    if (existing) return { order: existing, created: false };
  }
  const lines = await priceLines(deps, request.lines);
  const now = deps.now().toISOString();
  const order: Order = {
    orderId,
    customerId,
    status: 'PLACED',
    lines,
    totalCents: linesTotalCents(lines),
    paymentToken: request.paymentToken,
    createdAt: now,
    updatedAt: now,
    orderDate: now.slice(0, 10),
  };
  try {
    await deps.client.putItem({
      TableName: deps.ordersTable,
      Item: orderToItem(order),
      ConditionExpression: 'attribute_not_exists(orderId)',
    });
  } catch (error) {
    if (!isAwsError(error, 'ConditionalCheckFailedException') || !key) throw error;
    // Two requests with the same key raced: the other one stored the order.
    const existing = await readOrder(deps, orderId);
    if (existing) return { order: existing, created: false };
    throw error;
  }
  return { order, created: true };
}

/** `o-` + 32 hex characters of SHA-256(customer, key): stable per customer and key, unguessable across customers. */
export function orderIdFor(customerId: string, key: string): string {
  return `o-${createHash('sha256').update(`${customerId}\n${key}`).digest('hex').slice(0, 32)}`;
}

async function readOrder(deps: PlaceOrderDependencies, orderId: string): Promise<Order | undefined> {
  return parseOrderItem(await readOrderItem(deps.client, deps.ordersTable, orderId)).order;
}

/** Current menu prices for the requested lines; unknown items are the caller's error (400, naming them). */
async function priceLines(deps: PlaceOrderDependencies, requested: OrderRequest['lines']): Promise<OrderLine[]> {
  const found = new Map<string, { name: string; priceCents: number }>();
  let keys: Item[] = requested.map((line) => ({ sku: s(line.sku) }));
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt === 3) throw new Error(`the menu table did not return ${keys.length} item(s) after 3 attempts`);
    const out = await deps.client.batchGetItem({
      RequestItems: { [deps.menuTable]: { Keys: keys, ProjectionExpression: 'sku, #name, priceCents, stock', ExpressionAttributeNames: { '#name': 'name' } } },
    });
    for (const raw of out.Responses?.[deps.menuTable] ?? []) {
      const item = parseMenuItem(raw);
      if (item) found.set(item.sku, item);
    }
    keys = out.UnprocessedKeys?.[deps.menuTable]?.Keys ?? [];
  }
  const unknown = requested.filter((line) => !found.has(line.sku)).map((line) => line.sku);
  if (unknown.length > 0) throw new ApiError(400, 'UNKNOWN_ITEM', `not on the menu: ${unknown.join(', ')} (GET /menu lists what is)`);
  return requested.map((line) => {
    const item = found.get(line.sku)!;
    return { sku: line.sku, name: item.name, quantity: line.quantity, unitPriceCents: item.priceCents };
  });
}
