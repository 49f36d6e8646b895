import { createCafeTables, lambdaContext, loadBundle, MENU_TABLE, ORDERS_TABLE, putMenuItems, SAMPLE_MENU, sampleOrder, useLocalAws } from './harness';
import { readMenu } from '../../../lambda-src/examples/lambda-integration/menu/menu';
import { orderStatus } from '../../../lambda-src/examples/lambda-integration/order-status/order-status';
import { orderToItem } from '../../../lambda-src/examples/lambda-integration/shared/order';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';

let dynamo: LocalDynamo;
let restoreEnv: () => void;

const order = sampleOrder('o-status-1', { status: 'PROCESSING', lines: [{ sku: 'espresso', name: 'Espresso', quantity: 2, unitPriceCents: 250 }], totalCents: 500 });

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCafeTables(dynamo);
  await putMenuItems(dynamo.dynamoDb());
  // Written by hand, as a learner might: no price. It must not break the menu.
  await dynamo.dynamoDb().putItem({ TableName: MENU_TABLE, Item: { sku: { S: 'mystery' }, name: { S: 'Mystery item' } } });
  await dynamo.dynamoDb().putItem({ TableName: ORDERS_TABLE, Item: orderToItem(order) });
  restoreEnv = useLocalAws({ dynamodb: dynamo.endpoint });
});
afterAll(async () => {
  restoreEnv();
  await dynamo.stop();
});

describe('GET /menu', () => {
  test('lists every well-formed item by category and name, and counts the malformed ones it skipped', async () => {
    const menu = await readMenu(dynamo.dynamoDb(), MENU_TABLE);
    expect(menu.items.map((i) => i.sku)).toEqual(['croissant', 'catering-box', 'espresso', 'flat-white']);
    expect(menu.items.find((i) => i.sku === 'flat-white')).toEqual(SAMPLE_MENU[1]);
    expect(menu.skipped).toBe(1);
  });

  test('the bundle answers 200 with the items and no internal fields', async () => {
    const result = await loadBundle('menu', 'MENU_CONFIG', { menuTable: MENU_TABLE })({ httpMethod: 'GET', path: '/menu', requestContext: {} }, lambdaContext('menu'));
    expect(result.statusCode).toBe(200);
    const { items } = JSON.parse(result.body);
    expect(items).toHaveLength(4);
    expect(Object.keys(items[0]).sort()).toEqual(['category', 'name', 'priceCents', 'sku', 'stock']);
  });
});

describe('the order-status reader of the EXPRESS workflow', () => {
  test('the customer sees their order, without payment token or customer id', async () => {
    const answer = await orderStatus({ orderId: 'o-status-1', callerId: 'customer-1' }, dynamo.dynamoDb(), ORDERS_TABLE);
    expect(answer).toEqual({
      found: true,
      order: { orderId: 'o-status-1', status: 'PROCESSING', lines: order.lines, totalCents: 500, createdAt: order.createdAt, updatedAt: order.updatedAt },
    });
  });

  test('another customer, an unknown id and a malformed id all get the same "not found"', async () => {
    for (const request of [
      { orderId: 'o-status-1', callerId: 'customer-2' },
      { orderId: 'o-missing', callerId: 'customer-1' },
      { orderId: '../../etc', callerId: 'customer-1' },
      { orderId: 'o-status-1', callerId: '' },
      { orderId: 42, callerId: 'customer-1' },
      {},
    ]) {
      expect(await orderStatus(request, dynamo.dynamoDb(), ORDERS_TABLE)).toEqual({ found: false });
    }
  });

  test('the bundle reads the workflow input and answers the same way', async () => {
    const handler = loadBundle('order-status', 'ORDER_STATUS_CONFIG', { ordersTable: ORDERS_TABLE });
    expect((await handler({ orderId: 'o-status-1', callerId: 'customer-1' }, lambdaContext('order-status'))).order.status).toBe('PROCESSING');
    expect(await handler(null, lambdaContext('order-status'))).toEqual({ found: false });
  });
});
