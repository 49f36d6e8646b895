import { createCafeTables, lambdaContext, loadBundle, MENU_TABLE, ORDERS_TABLE, putMenuItems, sampleOrder, useLocalAws } from './harness';
import { Inventory, parseInventoryRequest } from '../../../lambda-src/examples/lambda-integration/inventory/inventory';
import { Order, orderToItem } from '../../../lambda-src/examples/lambda-integration/shared/order';
import { validateAndClaim } from '../../../lambda-src/examples/lambda-integration/validate-order/validate';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';

let dynamo: LocalDynamo;
let restoreEnv: () => void;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCafeTables(dynamo);
  restoreEnv = useLocalAws({ dynamodb: dynamo.endpoint });
});
afterAll(async () => {
  restoreEnv();
  await dynamo.stop();
});

const placed = (orderId: string, extra: Partial<Order> = {}): Order => sampleOrder(orderId, {
  lines: [{ sku: 'espresso', name: 'Espresso', quantity: 2, unitPriceCents: 250 }, { sku: 'croissant', name: 'Croissant', quantity: 1, unitPriceCents: 290 }],
  totalCents: 790,
  ...extra,
});

async function putOrder(order: Order): Promise<void> {
  await dynamo.dynamoDb().putItem({ TableName: ORDERS_TABLE, Item: orderToItem(order) });
}

async function statusOf(orderId: string): Promise<string | undefined> {
  const key = { orderId: { S: orderId } };
  const { Item } = await dynamo.dynamoDb().getItem({ TableName: ORDERS_TABLE, Key: key, ConsistentRead: true });
  return Item?.status?.S;
}

async function stockOf(sku: string): Promise<{ stock: number; holders: readonly string[] }> {
  const { Item } = await dynamo.dynamoDb().getItem({ TableName: MENU_TABLE, Key: { sku: { S: sku } }, ConsistentRead: true });
  return { stock: Number(Item!.stock.N), holders: Item!.holders?.SS ?? [] };
}

describe('ValidateOrder', () => {
  const deps = () => ({ client: dynamo.dynamoDb(), ordersTable: ORDERS_TABLE, now: () => new Date('2026-11-22T09:31:00.000Z') });

  test('reads the order from the table, claims it (PLACED -> PROCESSING) and hands the workflow what it needs', async () => {
    await putOrder(placed('o-v-1'));
    const claimed = await validateAndClaim({ orderId: 'o-v-1', executionId: 'exec-1' }, deps());
    expect(claimed).toEqual({ orderId: 'o-v-1', customerId: 'customer-1', lines: placed('o-v-1').lines, totalCents: 790, paymentToken: 'tok_visa' });
    expect(await statusOf('o-v-1')).toBe('PROCESSING');
  });

  test('a second execution for the same order (redelivered or replayed event) stops with OrderAlreadyClaimed', async () => {
    await putOrder(placed('o-v-2'));
    await validateAndClaim({ orderId: 'o-v-2', executionId: 'exec-2' }, deps());
    await expect(validateAndClaim({ orderId: 'o-v-2', executionId: 'exec-replayed' }, deps())).rejects.toMatchObject({ name: 'OrderAlreadyClaimed', message: 'order o-v-2 is PROCESSING, not PLACED: another execution owns it' });
  });

  test('a retry of the step by the execution that claimed the order finds its claim and goes on', async () => {
    await putOrder(placed('o-v-retry'));
    const first = await validateAndClaim({ orderId: 'o-v-retry', executionId: 'exec-r' }, deps());
    expect(await validateAndClaim({ orderId: 'o-v-retry', executionId: 'exec-r' }, deps())).toEqual(first);
    expect(await statusOf('o-v-retry')).toBe('PROCESSING');
  });

  test('two executions racing for one order: exactly one claims it', async () => {
    await putOrder(placed('o-v-race'));
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => validateAndClaim({ orderId: 'o-v-race', executionId: `exec-race-${i}` }, deps())));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.name)).toEqual(Array(7).fill('OrderAlreadyClaimed'));
  });

  test('an order whose total does not match its lines, a malformed item, a missing order and a bad id are refused by name', async () => {
    await putOrder(placed('o-v-tampered', { totalCents: 1 }));
    await dynamo.dynamoDb().putItem({ TableName: ORDERS_TABLE, Item: { orderId: { S: 'o-v-junk' }, status: { S: 'PLACED' } } });
    await expect(validateAndClaim({ orderId: 'o-v-tampered', executionId: 'e' }, deps())).rejects.toMatchObject({ name: 'OrderInvalid', message: 'order o-v-tampered totals 1 cents but its lines add up to 790' });
    await expect(validateAndClaim({ orderId: 'o-v-junk', executionId: 'e' }, deps())).rejects.toMatchObject({ name: 'OrderInvalid', message: expect.stringContaining('customerId is missing or malformed') });
    await expect(validateAndClaim({ orderId: 'o-v-nothing', executionId: 'e' }, deps())).rejects.toMatchObject({ name: 'OrderNotFound' });
    await expect(validateAndClaim({ orderId: { $ne: null }, executionId: 'e' }, deps())).rejects.toMatchObject({ name: 'OrderInvalid' });
    await expect(validateAndClaim({ orderId: 'o-v-tampered' }, deps())).rejects.toMatchObject({ name: 'OrderInvalid', message: expect.stringContaining('executionId') });
    expect(await statusOf('o-v-tampered')).toBe('PLACED');
  });

  test('the minified bundle keeps the error names the workflow matches on', async () => {
    await putOrder(placed('o-v-bundle'));
    const handler = loadBundle('validate-order', 'VALIDATE_ORDER_CONFIG', { ordersTable: ORDERS_TABLE });
    expect((await handler({ orderId: 'o-v-bundle', executionId: 'exec-b' }, lambdaContext('validate'))).totalCents).toBe(790);
    await expect(handler({ orderId: 'o-v-bundle', executionId: 'exec-c' }, lambdaContext('validate'))).rejects.toMatchObject({ name: 'OrderAlreadyClaimed' });
    await expect(handler({ orderId: 'o-v-none', executionId: 'exec-b' }, lambdaContext('validate'))).rejects.toMatchObject({ name: 'OrderNotFound' });
  });
});

describe('inventory', () => {
  let inventory: Inventory;
  beforeEach(async () => {
    await putMenuItems(dynamo.dynamoDb());
    inventory = new Inventory(dynamo.dynamoDb(), MENU_TABLE);
  });
  const lines = [{ sku: 'espresso', quantity: 2 }, { sku: 'croissant', quantity: 1 }];

  test('reserve takes the units and records the holder; a retried reserve takes nothing more', async () => {
    const first = await inventory.apply({ action: 'reserve', orderId: 'o-i-1', lines });
    const retry = await inventory.apply({ action: 'reserve', orderId: 'o-i-1', lines });
    expect(first.lines.map((l) => l.outcome)).toEqual(['reserved', 'reserved']);
    expect(retry.lines.map((l) => l.outcome)).toEqual(['already-reserved', 'already-reserved']);
    expect(await stockOf('espresso')).toEqual({ stock: 98, holders: ['o-i-1'] });
    expect(await stockOf('croissant')).toEqual({ stock: 4, holders: ['o-i-1'] });
  });

  test('release gives the units back once; commit keeps them sold and drops the hold', async () => {
    await inventory.apply({ action: 'reserve', orderId: 'o-i-2', lines });
    await inventory.apply({ action: 'reserve', orderId: 'o-i-3', lines });
    const released = await inventory.apply({ action: 'release', orderId: 'o-i-2', lines });
    const releasedAgain = await inventory.apply({ action: 'release', orderId: 'o-i-2', lines });
    const committed = await inventory.apply({ action: 'commit', orderId: 'o-i-3', lines });
    expect(released.lines.map((l) => l.outcome)).toEqual(['released', 'released']);
    expect(releasedAgain.lines.map((l) => l.outcome)).toEqual(['not-held', 'not-held']);
    expect(committed.lines.map((l) => l.outcome)).toEqual(['committed', 'committed']);
    expect(await stockOf('espresso')).toEqual({ stock: 98, holders: [] });
    expect(await stockOf('croissant')).toEqual({ stock: 4, holders: [] });
  });

  test('a line that cannot be served releases the earlier lines and fails with OutOfStock naming it', async () => {
    await expect(inventory.apply({ action: 'reserve', orderId: 'o-i-4', lines: [{ sku: 'espresso', quantity: 3 }, { sku: 'croissant', quantity: 6 }] }))
      .rejects.toMatchObject({ name: 'OutOfStock', message: 'croissant: 6 requested, 5 available' });
    await expect(inventory.apply({ action: 'reserve', orderId: 'o-i-4', lines: [{ sku: 'espresso', quantity: 1 }, { sku: 'unicorn-latte', quantity: 1 }] }))
      .rejects.toMatchObject({ name: 'OutOfStock', message: 'unicorn-latte is not on the menu' });
    expect(await stockOf('espresso')).toEqual({ stock: 100, holders: [] });
    expect(await stockOf('croissant')).toEqual({ stock: 5, holders: [] });
  });

  test('concurrent orders never oversell: 8 orders for the last 5 croissants, 5 succeed', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) =>
      new Inventory(dynamo.dynamoDb(), MENU_TABLE).apply({ action: 'reserve', orderId: `o-race-${i}`, lines: [{ sku: 'croissant', quantity: 1 }] })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect((await stockOf('croissant')).stock).toBe(0);
  });

  test('a malformed request is an OrderInvalid naming every problem', () => {
    expect(() => parseInventoryRequest({ action: 'steal', orderId: 'o 1', lines: [{ sku: 'espresso', quantity: 100 }] })).toThrow(
      'inventory request: action must be one of reserve, release, commit, got "steal"; orderId must be 1-64 letters, digits, _ or -, got "o 1"; ' +
      'lines must be 1 to 20 {sku, quantity (1-20)} objects');
  });

  test('the bundle reserves through its settings and reports OutOfStock by name', async () => {
    await dynamo.dynamoDb().updateItem({ TableName: MENU_TABLE, Key: { sku: { S: 'croissant' } }, UpdateExpression: 'SET stock = :zero', ExpressionAttributeValues: { ':zero': { N: '0' } } });
    const handler = loadBundle('inventory', 'INVENTORY_CONFIG', { menuTable: MENU_TABLE });
    await expect(handler({ action: 'reserve', orderId: 'o-i-b', lines: [{ sku: 'croissant', quantity: 1 }] }, lambdaContext('inventory')))
      .rejects.toMatchObject({ name: 'OutOfStock' });
    expect((await handler({ action: 'reserve', orderId: 'o-i-b', lines: [{ sku: 'espresso', quantity: 1 }] }, lambdaContext('inventory'))).lines[0].outcome).toBe('reserved');
  });
});
