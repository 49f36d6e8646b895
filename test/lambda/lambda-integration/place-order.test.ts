import { createCafeTables, lambdaContext, loadBundle, MENU_TABLE, ORDERS_TABLE, putMenuItems, useLocalAws } from './harness';
import { placeOrder, PlaceOrderDependencies } from '../../../lambda-src/examples/lambda-integration/place-order/place-order';
import { idempotencyKey, parseOrderRequest } from '../../../lambda-src/examples/lambda-integration/place-order/request';
import { ApiError } from '../../../lambda-src/examples/lambda-integration/shared/api';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';

let dynamo: LocalDynamo;
let restoreEnv: () => void;
let ids = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCafeTables(dynamo);
  await putMenuItems(dynamo.dynamoDb());
  restoreEnv = useLocalAws({ dynamodb: dynamo.endpoint });
});
afterAll(async () => {
  restoreEnv();
  await dynamo.stop();
});

const deps = (): PlaceOrderDependencies => ({
  client: dynamo.dynamoDb(),
  menuTable: MENU_TABLE,
  ordersTable: ORDERS_TABLE,
  now: () => new Date('2026-11-22T09:30:00.000Z'),
  newOrderId: () => `o-test-${++ids}`,
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('the order request', () => {
  test('a well-formed request is read as lines and a payment token', () => {
    expect(parseOrderRequest({ items: [{ sku: 'flat-white', quantity: 2 }, { sku: 'croissant', quantity: 1 }], paymentToken: 'tok_visa' }))
      .toEqual({ lines: [{ sku: 'flat-white', quantity: 2 }, { sku: 'croissant', quantity: 1 }], paymentToken: 'tok_visa' });
  });

  test('every problem of a hostile request is named in one 400 answer', () => {
    const error = apiError(() => parseOrderRequest({
      items: [{ sku: '../etc/passwd', quantity: 1 }, { sku: 'espresso', quantity: 0 }, { sku: 'espresso', quantity: 1.5 }, 'nope'],
      paymentToken: '4111111111111111',
    }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('ORDER_INVALID');
    expect(error.message).toContain('items[0].sku must be a menu item id');
    expect(error.message).toContain('items[1].quantity must be an integer between 1 and 20, got 0');
    expect(error.message).toContain('items[2].sku espresso appears twice');
    expect(error.message).toContain('items[2].quantity must be an integer between 1 and 20, got 1.5');
    expect(error.message).toContain('items[3].sku must be a menu item id');
    expect(error.message).toContain('paymentToken must be a payment method token such as tok_visa');
  });

  test('an empty, oversized or non-list items value is refused', () => {
    for (const items of [[], undefined, 'espresso', Array.from({ length: 21 }, (_, i) => ({ sku: `item-${i}`, quantity: 1 }))]) {
      expect(apiError(() => parseOrderRequest({ items, paymentToken: 'tok_visa' })).message).toContain('items must be a list of 1 to 20');
    }
  });

  test('the Idempotency-Key header is optional, case-insensitive and must be a safe id', () => {
    expect(idempotencyKey({ 'idempotency-key': 'retry-1' })).toBe('retry-1');
    expect(idempotencyKey({ 'Idempotency-Key': 'retry-1' })).toBe('retry-1');
    expect(idempotencyKey(undefined)).toBeUndefined();
    expect(apiError(() => idempotencyKey({ 'Idempotency-Key': 'a b' })).code).toBe('IDEMPOTENCY_KEY_INVALID');
  });
});

describe('placing an order against dynalite', () => {
  test('lines are priced from the menu and the order is stored as PLACED with its day', async () => {
    const { order, created } = await placeOrder({ lines: [{ sku: 'flat-white', quantity: 2 }, { sku: 'croissant', quantity: 1 }], paymentToken: 'tok_visa' }, 'customer-1', undefined, deps());
    expect(created).toBe(true);
    expect(order).toMatchObject({
      customerId: 'customer-1',
      status: 'PLACED',
      totalCents: 2 * 380 + 290,
      orderDate: '2026-11-22',
      lines: [{ sku: 'flat-white', name: 'Flat white', quantity: 2, unitPriceCents: 380 }, { sku: 'croissant', name: 'Croissant', quantity: 1, unitPriceCents: 290 }],
    });
    const key = { orderId: { S: order.orderId } };
    const { Item } = await dynamo.dynamoDb().getItem({ TableName: ORDERS_TABLE, Key: key, ConsistentRead: true });
    expect(Item).toMatchObject({ status: { S: 'PLACED' }, totalCents: { N: '1050' }, customerId: { S: 'customer-1' }, paymentToken: { S: 'tok_visa' } });
  });

  test('an item that is not on the menu is refused by name and nothing is stored', async () => {
    const before = (await dynamo.dynamoDb().scan({ TableName: ORDERS_TABLE })).Items?.length;
    await expect(placeOrder({ lines: [{ sku: 'espresso', quantity: 1 }, { sku: 'unicorn-latte', quantity: 1 }], paymentToken: 'tok_visa' }, 'customer-1', undefined, deps()))
      .rejects.toMatchObject({ statusCode: 400, code: 'UNKNOWN_ITEM', message: expect.stringContaining('unicorn-latte') });
    expect((await dynamo.dynamoDb().scan({ TableName: ORDERS_TABLE })).Items?.length).toBe(before);
  });

  test('a request retried with the same Idempotency-Key returns the first order instead of placing a second', async () => {
    const request = { lines: [{ sku: 'espresso', quantity: 1 }], paymentToken: 'tok_visa' };
    const first = await placeOrder(request, 'customer-2', 'checkout-42', deps());
    const retry = await placeOrder(request, 'customer-2', 'checkout-42', deps());
    const otherCustomer = await placeOrder(request, 'customer-3', 'checkout-42', deps());
    expect(first.created).toBe(true);
    expect(retry).toEqual({ order: first.order, created: false });
    expect(otherCustomer.created).toBe(true);
    expect(otherCustomer.order.orderId).not.toBe(first.order.orderId);
  });
});

describe('place-order bundle', () => {
  const event = (body: string | null, extra: Record<string, unknown> = {}) => ({
    httpMethod: 'POST',
    path: '/orders',
    headers: { 'content-type': 'application/json' },
    body,
    isBase64Encoded: false,
    requestContext: { authorizer: { sub: 'customer-b', principalId: 'customer-b', tenantId: 'cafe' } },
    ...extra,
  });
  const load = () => loadBundle('place-order', 'PLACE_ORDER_CONFIG', { menuTable: MENU_TABLE, ordersTable: ORDERS_TABLE });

  test('refuses to start without its settings, naming the variable and each missing setting', () => {
    expect(() => loadBundle('place-order', 'PLACE_ORDER_CONFIG', undefined)).toThrow('environment variable PLACE_ORDER_CONFIG is not set');
    expect(() => loadBundle('place-order', 'PLACE_ORDER_CONFIG', { menuTable: '' })).toThrow(
      'invalid settings in PLACE_ORDER_CONFIG: menuTable must be a non-empty string, got ""; ordersTable must be a non-empty string, got nothing');
  });

  test('places an order: 201, the customer view (no payment token) and its location', async () => {
    const result = await load()(event(JSON.stringify({ items: [{ sku: 'espresso', quantity: 2 }], paymentToken: 'tok_visa' })), lambdaContext('place-order'));
    expect(result.statusCode).toBe(201);
    const body = JSON.parse(result.body);
    expect(body).toMatchObject({ status: 'PLACED', totalCents: 500, lines: [{ sku: 'espresso', quantity: 2, unitPriceCents: 250 }] });
    expect(body.paymentToken).toBeUndefined();
    expect(body.customerId).toBeUndefined();
    expect(result.headers.location).toBe(`/orders/${body.orderId}`);
  });

  test('answers hostile requests with the right status and code, and stores nothing', async () => {
    const handler = load();
    const before = (await dynamo.dynamoDb().scan({ TableName: ORDERS_TABLE })).Items?.length;
    const cases: Array<[unknown, number, string]> = [
      [event(null), 400, 'BODY_REQUIRED'],
      [event('{oops'), 400, 'BODY_NOT_JSON'],
      [event('[1,2]'), 400, 'BODY_NOT_OBJECT'],
      [event('x'.repeat(9000)), 413, 'BODY_TOO_LARGE'],
      [event('{"items":[{"sku":"espresso","quantity":1e9}],"paymentToken":"tok_visa"}'), 400, 'ORDER_INVALID'],
      [event('{"items":[{"sku":"espresso","quantity":1}],"paymentToken":"tok_visa"}', { requestContext: {} }), 403, 'NO_CALLER'],
    ];
    for (const [request, status, code] of cases) {
      const result = await handler(request, lambdaContext('place-order'));
      expect([result.statusCode, JSON.parse(result.body).error]).toEqual([status, code]);
    }
    expect((await dynamo.dynamoDb().scan({ TableName: ORDERS_TABLE })).Items?.length).toBe(before);
  });

  test('reads a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify({ items: [{ sku: 'croissant', quantity: 1 }], paymentToken: 'tok_visa' })).toString('base64');
    const result = await load()(event(body, { isBase64Encoded: true }), lambdaContext('place-order'));
    expect(result.statusCode).toBe(201);
  });

  test('a DynamoDB failure is a 500 with the request id and without the internal error text', async () => {
    const result = await loadBundle('place-order', 'PLACE_ORDER_CONFIG', { menuTable: 'no-such-table', ordersTable: ORDERS_TABLE })(
      event(JSON.stringify({ items: [{ sku: 'espresso', quantity: 1 }], paymentToken: 'tok_visa' })), { ...lambdaContext('place-order'), awsRequestId: 'req-500' });
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({ error: 'INTERNAL', message: 'the request failed; retry later', requestId: 'req-500' });
  });
});
