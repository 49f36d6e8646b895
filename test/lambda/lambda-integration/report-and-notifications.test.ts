import type { SQSRecord } from 'aws-lambda';
import { createCafeTables, lambdaContext, loadBundle, ORDERS_TABLE, useLocalAws } from './harness';
import { Notification, notify } from '../../../lambda-src/examples/lambda-integration/notifications/notifications';
import { reportDate, writeSalesReport } from '../../../lambda-src/examples/lambda-integration/sales-report/sales-report';
import { Order, OrderStatus, orderToItem } from '../../../lambda-src/examples/lambda-integration/shared/order';
import { createBatchConsumer } from '../../../lambda-src/fanout-consumer/consumer';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';
import { S3Api, startS3Api } from '../../helpers/s3-api';

describe('the nightly sales report', () => {
  let dynamo: LocalDynamo;
  let s3: S3Api;
  let restoreEnv: () => void;
  let n = 0;
  const put = async (status: OrderStatus, totalCents: number, lines: Order['lines'], createdAt = '2026-11-21T10:00:00.000Z') => {
    const order: Order = {
      orderId: `o-r-${++n}`,
      customerId: 'c',
      status,
      lines,
      totalCents,
      paymentToken: 'tok_visa',
      createdAt: createdAt.replace('00.000Z', `${String(n).padStart(2, '0')}.000Z`),
      updatedAt: createdAt,
      orderDate: createdAt.slice(0, 10),
    };
    await dynamo.dynamoDb().putItem({ TableName: ORDERS_TABLE, Item: orderToItem(order) });
  };
  const espresso = (quantity: number) => ({ sku: 'espresso', name: 'Espresso', quantity, unitPriceCents: 250 });
  const box = (quantity: number) => ({ sku: 'catering-box', name: 'Catering box', quantity, unitPriceCents: 4500 });

  beforeAll(async () => {
    dynamo = await startDynalite();
    await createCafeTables(dynamo);
    s3 = await startS3Api();
    restoreEnv = useLocalAws({ dynamodb: dynamo.endpoint, s3: s3.url });
    await put('COMPLETED', 500, [espresso(2)]);
    await put('COMPLETED', 13_500, [box(3)]);
    await put('CANCELLED', 9_000, [box(2)]);
    await put('REJECTED', 250, [espresso(1)]);
    await put('PROCESSING', 250, [espresso(1)]);
    await put('COMPLETED', 250, [espresso(1)], '2026-11-22T08:00:00.000Z'); // another day
    // Written by hand into the index: counted as skipped, not trusted.
    await dynamo.dynamoDb().putItem({ TableName: ORDERS_TABLE, Item: { orderId: { S: 'junk' }, orderDate: { S: '2026-11-21' }, createdAt: { S: '2026-11-21T11:00:00Z' }, status: { S: 'COMPLETED' }, totalCents: { S: 'lots' } } });
  });
  afterAll(async () => {
    restoreEnv();
    await s3.stop();
    await dynamo.stop();
  });

  test('adds up one day: orders by status, revenue and units of completed orders only, large orders, skipped junk', async () => {
    const stored: Record<string, string> = {};
    const report = await writeSalesReport({ date: '2026-11-21' }, {
      client: dynamo.dynamoDb(),
      ordersTable: ORDERS_TABLE,
      approvalThresholdCents: 10_000,
      now: () => new Date('2026-11-22T00:15:00Z'),
      putReport: async (key, body) => { stored[key] = body; },
    });
    expect(report).toEqual({
      date: '2026-11-21',
      generatedAt: '2026-11-22T00:15:00.000Z',
      orders: 5,
      byStatus: { PLACED: 0, PROCESSING: 1, COMPLETED: 2, CANCELLED: 1, REJECTED: 1 },
      revenueCents: 14_000,
      averageCompletedOrderCents: 7_000,
      unitsSold: { 'espresso': 2, 'catering-box': 3 },
      largeOrders: 1,
      skippedItems: 1,
    });
    expect(JSON.parse(stored['reports/sales-2026-11-21.json'])).toEqual(report);
  });

  test('without a date it reports yesterday (UTC); a malformed date is refused by name', () => {
    expect(reportDate({}, new Date('2026-11-22T00:15:00Z'))).toBe('2026-11-21');
    expect(reportDate(null, new Date('2026-03-01T00:15:00Z'))).toBe('2026-02-28');
    for (const date of ['21/11/2026', '2026-13-45', 20261121]) {
      expect(() => reportDate({ date }, new Date())).toThrow(expect.objectContaining({ name: 'ReportRequestInvalid' }));
    }
  });

  test('the bundle writes the report to the bucket through the S3 API', async () => {
    const handler = loadBundle('sales-report', 'SALES_REPORT_CONFIG', { ordersTable: ORDERS_TABLE, reportBucket: 'cafe-files', approvalThresholdCents: 10_000 });
    const report = await handler({ date: '2026-11-22' }, lambdaContext('sales-report'));
    expect(report).toMatchObject({ date: '2026-11-22', orders: 1, revenueCents: 250 });
    expect(JSON.parse(s3.objects.get('cafe-files/reports/sales-2026-11-22.json')!)).toMatchObject({ orders: 1 });
    expect(s3.contentTypes.get('cafe-files/reports/sales-2026-11-22.json')).toBe('application/json');
    expect(() => loadBundle('sales-report', 'SALES_REPORT_CONFIG', { ordersTable: ORDERS_TABLE, reportBucket: 'b', approvalThresholdCents: -5 }))
      .toThrow('approvalThresholdCents must be an integer between 0 and 10000000, got -5');
  });
});

describe('notifications (the FanoutTopic consumer)', () => {
  const KITCHEN = 'arn:aws:sqs:us-east-1:123456789012:kitchen';
  const CUSTOMER = 'arn:aws:sqs:us-east-1:123456789012:customer';
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  let id = 0;
  const record = (queueArn: string, message: unknown): SQSRecord => ({
    messageId: `m-${++id}`,
    receiptHandle: 'rh',
    body: JSON.stringify({ Type: 'Notification', MessageId: `sns-${id}`, TopicArn: 'arn:aws:sns:us-east-1:123456789012:n', Message: JSON.stringify(message), Timestamp: '2026-11-22T10:00:00Z' }),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 'sns', ApproximateFirstReceiveTimestamp: '1' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  });

  test('each queue gets its channel\'s text; a message that is not a café notification fails alone', async () => {
    const sent: Notification[] = [];
    const consume = createBatchConsumer({ recordHandler: notify((arn) => (arn === KITCHEN ? 'kitchen' : 'customer'), (n) => sent.push(n)), logger: silent });
    const completed = { eventType: 'order.completed', orderId: 'o-1', customerId: 'c-1', totalCents: 1050, lines: [{ quantity: 2, name: 'Flat white' }, { quantity: 1, name: 'Croissant' }] };
    const response = await consume({
      Records: [
        record(CUSTOMER, completed),
        record(KITCHEN, completed),
        record(CUSTOMER, { eventType: 'order.status-changed', orderId: 'o-1', customerId: 'c-1', status: 'PROCESSING' }),
        record(CUSTOMER, { eventType: 'order.rejected', orderId: 'o-2', customerId: 'c-1', reason: 'OutOfStock' }),
        record(CUSTOMER, { eventType: 'order.exploded', orderId: 'o-3', customerId: 'c-1' }),
        record(CUSTOMER, { orderId: 'o-4' }),
      ],
    }, lambdaContext('notifications'));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([`m-${id - 1}`, `m-${id}`]);
    expect(sent.map((n) => `${n.channel}: ${n.text}`)).toEqual([
      'customer: Thank you! Order o-1 is paid ($10.50) and on its way to the barista.',
      'kitchen: Make order o-1: 2 x Flat white, 1 x Croissant',
      'customer: Order o-1 is now processing.',
      'customer: Order o-2 could not be accepted (OutOfStock); nothing was charged.',
    ]);
  });

  test('the bundle needs the kitchen queue ARN and consumes an SQS batch', async () => {
    expect(() => loadBundle('notifications', 'NOTIFICATIONS_CONFIG', {})).toThrow('kitchenQueueArn must be a non-empty string, got nothing');
    const restore = useLocalAws({});
    try {
      const handler = loadBundle('notifications', 'NOTIFICATIONS_CONFIG', { kitchenQueueArn: KITCHEN, maxReceiveCount: 3 });
      const response = await handler({ Records: [record(KITCHEN, { eventType: 'order.completed', orderId: 'o-9', customerId: 'c', lines: [] }), record(KITCHEN, 'nope')] }, lambdaContext('notifications'));
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: `m-${id}` }]);
    } finally {
      restore();
    }
  });
});
