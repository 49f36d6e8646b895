import { createHash } from 'node:crypto';
import type { DynamoDb, DynamoItem } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';

// The café's orders, behind API Gateway Lambda proxy integrations. API Gateway already
// validated the body against the model; the checks here keep the function safe when it is
// called another way (test console, a route added without a model).

/** An answer of the orders API: status code and JSON body. */
export interface OrdersAnswer {
  readonly statusCode: number;
  readonly body: unknown;
}

/** The parts of an API Gateway proxy event the orders API reads. */
export interface OrdersRequest {
  readonly httpMethod: string;
  /** The resource template, e.g. `/v1/orders/{orderId}`. */
  readonly resource: string;
  readonly pathParameters?: Record<string, string | undefined> | null;
  readonly queryStringParameters?: Record<string, string | undefined> | null;
  readonly headers?: Record<string, string | undefined> | null;
  readonly body?: string | null;
  readonly requestId: string;
}

export interface OrdersDependencies {
  readonly dynamo: DynamoDb;
  readonly ordersTable: string;
  readonly customerIndex: string;
  readonly now: () => Date;
}

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: { itemId: string; quantity: number }[];
  readonly status: string;
  readonly createdAt: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_LINES = 20;

class BadRequest extends Error {}

export async function handleOrders(request: OrdersRequest, deps: OrdersDependencies): Promise<OrdersAnswer> {
  try {
    const route = `${request.httpMethod} ${request.resource}`;
    switch (route) {
      case 'POST /v1/orders': return await placeOrder(request, deps);
      case 'GET /v1/orders/{orderId}': return await getOrder(pathId(request, 'orderId'), request.requestId, deps);
      case 'GET /v1/customers/{customerId}/orders': return await customerOrders(request, deps);
      default: return { statusCode: 404, body: { error: 'NOT_FOUND', message: `no route ${route}`, requestId: request.requestId } };
    }
  } catch (error) {
    if (error instanceof BadRequest) return { statusCode: 400, body: { error: 'BAD_REQUEST', message: error.message, requestId: request.requestId } };
    throw error;
  }
}

/**
 * POST /v1/orders with an `Idempotency-Key` header: the order id is derived from the customer
 * and the key, so a retried request finds the order it already placed (200) instead of
 * placing a second one (201).
 */
async function placeOrder(request: OrdersRequest, deps: OrdersDependencies): Promise<OrdersAnswer> {
  const key = header(request, 'idempotency-key');
  if (!key || !IDEMPOTENCY_KEY.test(key)) throw new BadRequest('the Idempotency-Key header must be 8-64 characters of A-Z a-z 0-9 _ -');
  const { customerId, items } = parseOrderBody(request.body);
  const order: Order = {
    orderId: 'o-' + createHash('sha256').update(`${customerId}\n${key}`).digest('hex').slice(0, 24),
    customerId,
    items,
    status: 'PLACED',
    createdAt: deps.now().toISOString(),
  };
  try {
    await deps.dynamo.putItem({ TableName: deps.ordersTable, Item: toItem(order), ConditionExpression: 'attribute_not_exists(orderId)' });
    return { statusCode: 201, body: order };
  } catch (error) {
    if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    return getOrder(order.orderId, request.requestId, deps);
  }
}

async function getOrder(orderId: string, requestId: string, deps: OrdersDependencies): Promise<OrdersAnswer> {
  const { Item } = await deps.dynamo.getItem({ TableName: deps.ordersTable, Key: { orderId: { S: orderId } }, ConsistentRead: true });
  if (!Item) return { statusCode: 404, body: { error: 'ORDER_NOT_FOUND', message: `no order ${orderId}`, requestId } };
  return { statusCode: 200, body: fromItem(Item) };
}

async function customerOrders(request: OrdersRequest, deps: OrdersDependencies): Promise<OrdersAnswer> {
  const customerId = pathId(request, 'customerId');
  const rawLimit = request.queryStringParameters?.limit;
  const limit = rawLimit === undefined ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new BadRequest(`limit must be an integer from 1 to 50, got '${rawLimit}'`);
  const page = await deps.dynamo.query({
    TableName: deps.ordersTable,
    IndexName: deps.customerIndex,
    KeyConditionExpression: 'customerId = :customerId',
    ExpressionAttributeValues: { ':customerId': { S: customerId } },
    ScanIndexForward: false,
    Limit: limit,
  });
  const orders = (page.Items ?? []).map(fromItem);
  return { statusCode: 200, body: { customerId, orders, more: page.LastEvaluatedKey !== undefined } };
}

function parseOrderBody(body: string | null | undefined): { customerId: string; items: Order['items'] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw new BadRequest('the body must be a JSON object');
  }
  const { customerId, items } = (parsed ?? {}) as { customerId?: unknown; items?: unknown };
  if (typeof customerId !== 'string' || !ID.test(customerId)) throw new BadRequest('customerId must be 1-64 characters of A-Z a-z 0-9 _ -');
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_LINES) throw new BadRequest(`items must hold 1 to ${MAX_LINES} lines`);
  return {
    customerId,
    items: items.map((line: { itemId?: unknown; quantity?: unknown }, i) => {
      if (typeof line?.itemId !== 'string' || !ID.test(line.itemId)) throw new BadRequest(`items[${i}].itemId must be 1-64 characters of A-Z a-z 0-9 _ -`);
      if (!Number.isInteger(line.quantity) || (line.quantity as number) < 1 || (line.quantity as number) > 99) {
        throw new BadRequest(`items[${i}].quantity must be an integer from 1 to 99`);
      }
      return { itemId: line.itemId, quantity: line.quantity as number };
    }),
  };
}

function pathId(request: OrdersRequest, name: string): string {
  const value = request.pathParameters?.[name];
  if (!value || !ID.test(value)) throw new BadRequest(`${name} must be 1-64 characters of A-Z a-z 0-9 _ -`);
  return value;
}

function header(request: OrdersRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

function toItem(order: Order): DynamoItem {
  return {
    orderId: { S: order.orderId },
    customerId: { S: order.customerId },
    items: { L: order.items.map((line) => ({ M: { itemId: { S: line.itemId }, quantity: { N: String(line.quantity) } } })) },
    status: { S: order.status },
    createdAt: { S: order.createdAt },
  };
}

function fromItem(item: DynamoItem): Order {
  return {
    orderId: item.orderId?.S ?? '',
    customerId: item.customerId?.S ?? '',
    items: (item.items?.L ?? []).map((line) => ({ itemId: line.M?.itemId?.S ?? '', quantity: Number(line.M?.quantity?.N ?? 0) })),
    status: item.status?.S ?? '',
    createdAt: item.createdAt?.S ?? '',
  };
}
