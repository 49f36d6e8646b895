import { InvalidOrderError, inventoryAnswerFrom, OrderDependencies, OrderEvent, orderStatus, parseOrderRequest, placeOrder } from '../../lambda-src/examples/place-order/order';

function deps(answer: Awaited<ReturnType<OrderDependencies['checkInventory']>>, publish: (e: OrderEvent) => Promise<void> = async () => {}) {
  const published: OrderEvent[] = [];
  const checked: string[] = [];
  const d: OrderDependencies = {
    checkInventory: async (sku) => {
      checked.push(sku);
      return answer;
    },
    publish: async (e) => {
      await publish(e);
      published.push(e);
    },
    newOrderId: () => 'o-1',
    now: () => new Date('2026-11-22T10:00:00Z'),
  };
  return { d, published, checked };
}

describe('place-order', () => {
  test('an order in stock is confirmed and published as order.created', async () => {
    const { d, published, checked } = deps({ available: 42, source: 'inventory' });
    const event = await placeOrder({ userId: 'u-1', sku: 'sku-1', quantity: 2 }, d);
    expect(checked).toEqual(['sku-1']);
    expect(event).toEqual({
      eventType: 'order.created',
      orderId: 'o-1',
      userId: 'u-1',
      sku: 'sku-1',
      quantity: 2,
      status: 'CONFIRMED',
      inventorySource: 'inventory',
      createdAt: '2026-11-22T10:00:00.000Z',
    });
    expect(published).toEqual([event]);
  });

  test('a breaker fallback lets the order through as PENDING_INVENTORY; too little stock means BACKORDERED', () => {
    expect(orderStatus(1, { available: null, source: 'fallback' })).toBe('PENDING_INVENTORY');
    expect(orderStatus(5, { available: 4, source: 'inventory' })).toBe('BACKORDERED');
    expect(orderStatus(4, { available: 4, source: 'inventory' })).toBe('CONFIRMED');
  });

  test('a failed publish propagates, so no order id is handed out for an unannounced order', async () => {
    const { d, published } = deps({ available: 1, source: 'inventory' }, async () => {
      throw new Error('sns down');
    });
    await expect(placeOrder({ userId: 'u-1', sku: 'sku-1', quantity: 1 }, d)).rejects.toThrow('sns down');
    expect(published).toEqual([]);
  });

  test('the breaker answer is read as stock, anything unexpected as unknown stock', () => {
    expect(inventoryAnswerFrom({ statusCode: 200, body: '{"sku":"a","available":42,"source":"inventory"}' })).toEqual({ available: 42, source: 'inventory' });
    expect(inventoryAnswerFrom({ statusCode: 200, body: '{"available":null,"source":"fallback"}' })).toEqual({ available: null, source: 'fallback' });
    expect(inventoryAnswerFrom({ statusCode: 503, body: 'no healthy upstream' })).toEqual({ available: null, source: 'fallback' });
    expect(inventoryAnswerFrom({ statusCode: 200, body: 'not json' })).toEqual({ available: null, source: 'fallback' });
    expect(inventoryAnswerFrom(null)).toEqual({ available: null, source: 'fallback' });
  });

  test('bad requests are rejected with every problem named', () => {
    expect(parseOrderRequest('{"userId":"u-1","sku":"sku-1","quantity":3}')).toEqual({ userId: 'u-1', sku: 'sku-1', quantity: 3 });
    expect(() => parseOrderRequest(undefined)).toThrow(InvalidOrderError);
    expect(() => parseOrderRequest('{oops')).toThrow('the body is not valid JSON');
    expect(() => parseOrderRequest('[1]')).toThrow('the body must be a JSON object with userId, sku and quantity');
    expect(() => parseOrderRequest(`{"userId":"${'x'.repeat(5000)}"}`)).toThrow('the body must be at most 4096 bytes');
    expect(() => parseOrderRequest('{"userId":"u 1","sku":"../etc","quantity":0}')).toThrow(
      'userId must be 1-64 letters, digits or dashes, got "u 1"; sku must be 1-64 letters, digits or dashes, got "../etc"; ' +
      'quantity must be an integer between 1 and 100, got 0',
    );
  });
});

describe('place-order bundle', () => {
  const bundle = require.resolve('../../assets/examples/place-order/index.js');

  afterEach(() => {
    delete process.env.PLACE_ORDER_CONFIG;
    jest.resetModules();
  });

  test('refuses to start without its settings, naming the variable', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(() => jest.isolateModules(() => require(bundle))).toThrow('environment variable PLACE_ORDER_CONFIG is not set');
  });

  test('answers a malformed order with 400 and the problem, without calling AWS', async () => {
    process.env.PLACE_ORDER_CONFIG = JSON.stringify({ inventoryBreakerFunction: 'breaker', orderEventsTopicArn: 'arn:aws:sns:us-east-1:123456789012:t' });
    let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> = async () => ({ statusCode: 0, body: '' });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = require(bundle).handler;
    });
    const result = await handler({ httpMethod: 'POST', path: '/orders', body: '{"userId":"u-1","sku":"s","quantity":1000}', isBase64Encoded: false, headers: {} }, { awsRequestId: 'r' });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error: 'ORDER_INVALID', message: 'quantity must be an integer between 1 and 100, got 1000' });
  });
});
