import { LocalDynamo, LOCAL_CREDENTIALS, startDynalite } from '../helpers/dynalite';

// The API Gateway lab's orders function: the SHIPPED bundle (assets/) against dynalite,
// invoked with API Gateway proxy events as the lab's three routes send them.

const TABLE = 'cafe-orders';
const INDEX = 'byCustomer';
const bundle = require.resolve('../../assets/examples/api-gateway/orders/index.js');
type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

let dynamo: LocalDynamo;
let handler: Handler;
const saved = { ...process.env };

interface EventParts {
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

function event(httpMethod: string, resource: string, parts: EventParts = {}) {
  return {
    httpMethod,
    resource,
    path: resource,
    pathParameters: parts.path ?? null,
    queryStringParameters: parts.query ?? null,
    headers: parts.headers ?? {},
    body: parts.body ?? null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' },
  };
}

async function call(e: ReturnType<typeof event>): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const answer = await handler(e, { awsRequestId: 'lambda-1' });
  return { status: answer.statusCode, body: JSON.parse(answer.body), headers: answer.headers };
}

const order = (customerId: string, key: string, items: unknown = [{ itemId: 'flat-white', quantity: 2 }]) =>
  event('POST', '/v1/orders', { headers: { 'Idempotency-Key': key }, body: JSON.stringify({ customerId, items }) });

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'orderId', AttributeType: 'S' }, { AttributeName: 'customerId', AttributeType: 'S' }, { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: INDEX,
      KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  Object.assign(process.env, {
    ORDERS_CONFIG: JSON.stringify({ ordersTable: TABLE, customerIndex: INDEX }),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(bundle).handler;
  });
});
afterAll(async () => {
  process.env = { ...saved };
  await dynamo.stop();
});

describe('orders bundle', () => {
  test('a new order is placed (201) and read back by id', async () => {
    const placed = await call(order('c-ana', 'key-00000001'));
    expect(placed.status).toBe(201);
    expect(placed.headers['x-request-id']).toBe('req-1');
    expect(placed.body).toMatchObject({ orderId: expect.stringMatching(/^o-[0-9a-f]{24}$/), customerId: 'c-ana', items: [{ itemId: 'flat-white', quantity: 2 }], status: 'PLACED' });
    const read = await call(event('GET', '/v1/orders/{orderId}', { path: { orderId: placed.body.orderId } }));
    expect(read).toMatchObject({ status: 200, body: placed.body });
  });

  test('a retried order with the same Idempotency-Key returns the first order (200), not a second one', async () => {
    const first = await call(order('c-ben', 'key-retry-1'));
    const retry = await call(order('c-ben', 'key-retry-1', [{ itemId: 'other', quantity: 9 }]));
    expect(first.status).toBe(201);
    expect(retry).toMatchObject({ status: 200, body: first.body });
    const list = await call(event('GET', '/v1/customers/{customerId}/orders', { path: { customerId: 'c-ben' } }));
    expect(list.body.orders).toHaveLength(1);
  });

  test('a customer\'s orders are listed newest first, limit pages them', async () => {
    for (const key of ['list-key-1', 'list-key-2', 'list-key-3']) {
      await call(order('c-cleo', key));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const all = await call(event('GET', '/v1/customers/{customerId}/orders', { path: { customerId: 'c-cleo' } }));
    expect(all.status).toBe(200);
    expect(all.body.orders).toHaveLength(3);
    const times = all.body.orders.map((o: { createdAt: string }) => o.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const page = await call(event('GET', '/v1/customers/{customerId}/orders', { path: { customerId: 'c-cleo' }, query: { limit: '2' } }));
    expect(page.body).toMatchObject({ customerId: 'c-cleo', more: true });
    expect(page.body.orders).toEqual(all.body.orders.slice(0, 2));
  });

  test('an unknown order is 404 with its id', async () => {
    expect(await call(event('GET', '/v1/orders/{orderId}', { path: { orderId: 'o-missing' } }))).toMatchObject({
      status: 404, body: { error: 'ORDER_NOT_FOUND', message: 'no order o-missing', requestId: 'req-1' },
    });
  });

  test.each([
    ['no Idempotency-Key', event('POST', '/v1/orders', { body: '{"customerId":"c","items":[{"itemId":"a","quantity":1}]}' }), 'Idempotency-Key'],
    ['a body that is not JSON', { ...order('c', 'key-bad-json'), body: '{not json' }, 'JSON object'],
    ['a customer id with a quote', order('c"; drop', 'key-bad-customer'), 'customerId'],
    ['no items', order('c', 'key-no-items', []), 'items must hold 1 to 20 lines'],
    ['a quantity of 0', order('c', 'key-zero', [{ itemId: 'a', quantity: 0 }]), 'items[0].quantity'],
    ['a limit of 500', event('GET', '/v1/customers/{customerId}/orders', { path: { customerId: 'c' }, query: { limit: '500' } }), "limit must be an integer from 1 to 50, got '500'"],
  ])('hostile input is 400 naming the field: %s', async (_name, e, message) => {
    const answer = await call(e as ReturnType<typeof event>);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'BAD_REQUEST', requestId: 'req-1' });
    expect(answer.body.message).toContain(message);
  });

  test('a route the function does not serve is 404, not a crash', async () => {
    expect(await call(event('DELETE', '/v1/orders/{orderId}', { path: { orderId: 'o-1' } }))).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });
});
