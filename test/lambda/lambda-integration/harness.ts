import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { Item, n, s } from '../../../lambda-src/examples/lambda-integration/shared/item';
import { Order } from '../../../lambda-src/examples/lambda-integration/shared/order';
import type { DynamoDb } from '../../../lambda-src/shared/aws/dynamodb';
import { LocalDynamo, LOCAL_CREDENTIALS } from '../../helpers/dynalite';
import { LoopbackResponse, LoopbackServer, startLoopbackServer } from '../../helpers/http-server';

// Local engines for the café lab's handlers: the orders and menu tables in dynalite (with
// the by-day index the sales report reads) and the Lambda Invoke API on loopback; with the
// EventBridge and S3 stand-ins of test/helpers, the shipped bundles run with their real
// clients (lambda-src/shared/aws) pointed at them through AWS_ENDPOINT_URL_*.

export const ORDERS_TABLE = 'orders';
export const MENU_TABLE = 'menu';

export async function createCafeTables(dynamo: LocalDynamo): Promise<void> {
  await dynamo.createTable({
    TableName: ORDERS_TABLE,
    KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'orderId', AttributeType: 'S' },
      { AttributeName: 'orderDate', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: 'ByDay',
      KeySchema: [{ AttributeName: 'orderDate', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'totalCents', 'lines'] },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await dynamo.createTable({
    TableName: MENU_TABLE,
    KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** The lab's sample menu: what the guide's menu.csv imports. */
export const SAMPLE_MENU = [
  { sku: 'espresso', name: 'Espresso', priceCents: 250, stock: 100, category: 'coffee' },
  { sku: 'flat-white', name: 'Flat white', priceCents: 380, stock: 100, category: 'coffee' },
  { sku: 'croissant', name: 'Croissant', priceCents: 290, stock: 5, category: 'bakery' },
  { sku: 'catering-box', name: 'Catering box (12 pastries)', priceCents: 4500, stock: 10, category: 'catering' },
];

export async function putMenuItems(client: DynamoDb, items: ReadonlyArray<Record<string, unknown>> = SAMPLE_MENU): Promise<void> {
  for (const item of items) {
    const dynamoItem: Item = {};
    for (const [key, value] of Object.entries(item)) dynamoItem[key] = typeof value === 'number' ? n(value) : s(String(value));
    await client.putItem({ TableName: MENU_TABLE, Item: dynamoItem });
  }
}

/** A well-formed order (one espresso, PLACED) as the tests start from; `extra` changes any field. */
export function sampleOrder(orderId: string, extra: Partial<Order> = {}): Order {
  return {
    orderId,
    customerId: 'customer-1',
    status: 'PLACED',
    lines: [{ sku: 'espresso', name: 'Espresso', quantity: 1, unitPriceCents: 250 }],
    totalCents: 250,
    paymentToken: 'tok_visa',
    createdAt: '2026-11-22T09:30:00.000Z',
    updatedAt: '2026-11-22T09:31:00.000Z',
    orderDate: '2026-11-22',
    ...extra,
  };
}

export function lambdaContext(functionName: string): Context {
  return {
    awsRequestId: `req-${functionName}-${Math.random().toString(16).slice(2)}`,
    functionName,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
}

export type BundleHandler = (event: unknown, context: Context) => Promise<any>;

/** A fresh module instance of a shipped bundle (a new execution environment) with its settings variable set. */
export function loadBundle(name: string, settingsVariable: string, settings: unknown): BundleHandler {
  if (settings === undefined) delete process.env[settingsVariable];
  else process.env[settingsVariable] = typeof settings === 'string' ? settings : JSON.stringify(settings);
  let handler: BundleHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(path.join(__dirname, '..', '..', '..', 'assets', 'examples', 'lambda-integration', name, 'index.js')).handler;
  });
  return handler!;
}

/** Point every AWS client of the bundles at local engines; returns a function that restores the environment. */
export function useLocalAws(endpoints: Record<string, string>): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_MAX_ATTEMPTS: '1',
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...Object.fromEntries(Object.entries(endpoints).map(([service, url]) => [`AWS_ENDPOINT_URL_${service.toUpperCase()}`, url])),
  });
  return () => {
    process.env = saved;
  };
}

/**
 * The Lambda Invoke API on loopback: `POST /2015-03-31/functions/<name>/invocations` runs
 * the registered handler in-process and answers as Lambda does (a thrown error becomes a
 * 200 with `X-Amz-Function-Error: Unhandled` and `{errorType, errorMessage}`).
 */
export type LambdaApi = LoopbackServer & { functions: Record<string, BundleHandler | undefined> };

export async function startLambdaApi(functions: Record<string, BundleHandler | undefined> = {}): Promise<LambdaApi> {
  const server = await startLoopbackServer(async (request): Promise<LoopbackResponse> => {
    const name = decodeURIComponent(/\/functions\/([^/]+)\/invocations/.exec(request.url)?.[1] ?? '');
    const fn = functions[name] ?? functions[name.split(':').pop() ?? ''];
    if (!fn) {
      return { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: JSON.stringify({ message: `Function not found: ${name}` }) };
    }
    try {
      const result = await fn(request.body === '' ? null : JSON.parse(request.body), lambdaContext(name));
      return { status: 200, body: JSON.stringify(result ?? null) };
    } catch (error) {
      const { name: errorType, message: errorMessage } = error as Error;
      return { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: JSON.stringify({ errorType, errorMessage }) };
    }
  });
  return Object.assign(server, { functions });
}
