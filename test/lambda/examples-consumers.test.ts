import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { startReservationsStore } from './fanout-consumer-harness';
import { reserveStock } from '../../lambda-src/examples/inventory-consumer/reservations';
import { Notification, notifyUser } from '../../lambda-src/examples/notification-consumer/notifications';
import { createBatchConsumer } from '../../lambda-src/fanout-consumer/consumer';
import { LocalDynamo, startDynalite } from '../helpers/dynalite';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:lab-inventory';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'r' } as unknown as Context;

/** An SQS record carrying an SNS envelope, as SNS delivers without raw delivery. */
function record(messageId: string, message: unknown, receiveCount = 1): SQSRecord {
  const envelope = {
    Type: 'Notification',
    MessageId: `sns-${messageId}`,
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:order-events',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-11-22T10:00:00.000Z',
    MessageAttributes: { eventType: { Type: 'String', Value: 'order.created' } },
  };
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(envelope),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'sns',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

const order = (orderId: string, extra: Record<string, unknown> = {}) =>
  ({ eventType: 'order.created', orderId, userId: 'u-1', sku: 'sku-1', quantity: 2, status: 'CONFIRMED', ...extra });

describe('lab inventory consumer against dynalite', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startReservationsStore();
  });
  afterAll(() => dynamo.stop());

  test('reserves stock once per order; a poison or malformed message fails alone', async () => {
    const reserved: Array<{ orderId: string; duplicate: boolean }> = [];
    const client = dynamo.client();
    const consume = createBatchConsumer({
      recordHandler: reserveStock({ client: dynamo.dynamoDb(), tableName: 'reservations', ttlSeconds: 3600, now: () => 1_800_000_000_000, onReserved: (r) => reserved.push(r) }),
      logger: silent,
      maxReceiveCount: 3,
    });
    const event: SQSEvent = {
      Records: [
        record('m1', order('o-1')),
        record('m2', order('o-2', { poison: true }), 3),
        record('m3', order('o-1')), // duplicate delivery of o-1
        record('m4', 'not json'),
        record('m5', { orderId: 'o-3' }),
      ],
    };
    const response = await consume(event, context);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m2', 'm4', 'm5']);
    expect(reserved.filter((r) => !r.duplicate).map((r) => r.orderId)).toEqual(['o-1']);
    expect(reserved.filter((r) => r.duplicate)).toHaveLength(1);
    const { Item } = await client.send(new GetItemCommand({ TableName: 'reservations', Key: { pk: { S: 'order#o-1' } }, ConsistentRead: true }));
    expect(Item).toMatchObject({ sku: { S: 'sku-1' }, quantity: { N: '2' }, ttl: { N: String(1_800_000_000 + 3600) } });
  });

  test('a store outage fails the records (retryable) instead of losing them', async () => {
    const down = await startDynalite();
    const client = down.dynamoDb();
    await down.stop();
    const consume = createBatchConsumer({
      recordHandler: reserveStock({ client, tableName: 'reservations', ttlSeconds: 3600, now: Date.now, onReserved: () => {} }),
      logger: silent,
      throwOnFullBatchFailure: false,
    });
    const response = await consume({ Records: [record('m1', order('o-9')), record('m2', order('o-10'))] }, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm2']);
  });
});

describe('lab notification consumer', () => {
  test('notifies the user of each order event; poison and malformed messages fail alone', async () => {
    const sent: Notification[] = [];
    const consume = createBatchConsumer({ recordHandler: notifyUser((n) => sent.push(n)), logger: silent });
    const response = await consume({
      Records: [
        record('m1', order('o-1', { status: 'PENDING_INVENTORY' })),
        record('m2', order('o-2', { poison: true })),
        record('m3', { orderId: 'o-3' }),
      ],
    }, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m2', 'm3']);
    expect(sent).toEqual([{ orderId: 'o-1', userId: 'u-1', text: 'Your order o-1 is pending inventory.' }]);
  });
});
