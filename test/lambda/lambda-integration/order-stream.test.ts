import type { DynamoDBRecord } from 'aws-lambda';
import { lambdaContext, loadBundle, sampleOrder, useLocalAws } from './harness';
import { orderEventFor } from '../../../lambda-src/examples/lambda-integration/order-stream/order-events';
import { EventEntry, publishOrderChanges, PutEventsAnswer } from '../../../lambda-src/examples/lambda-integration/order-stream/publisher';
import { Order, OrderStatus, orderToItem } from '../../../lambda-src/examples/lambda-integration/shared/order';
import { startEventBridgeApi } from '../../helpers/eventbridge-api';

const order = (orderId: string, status: OrderStatus, extra: Partial<Order> = {}): Order => sampleOrder(orderId, { status, ...extra });

let sequence = 100;
/** A DynamoDB Streams record (NEW_AND_OLD_IMAGES) as Lambda delivers it. */
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newImage?: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord {
  return {
    eventID: `e-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: { orderId: { S: 'k' } },
      NewImage: newImage as never,
      OldImage: oldImage as never,
      SequenceNumber: String(++sequence),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
const insert = (o: Order) => record('INSERT', orderToItem(o));
const modify = (from: Order, to: Order) => record('MODIFY', orderToItem(to), orderToItem(from));

describe('what a change of the orders table announces', () => {
  test('a new order is OrderPlaced; a status change is OrderStatusChanged; other changes and deletions announce nothing', () => {
    expect(orderEventFor(insert(order('o-1', 'PLACED')))).toEqual({
      detailType: 'OrderPlaced',
      detail: { orderId: 'o-1', customerId: 'customer-1', totalCents: 250, lineCount: 1, placedAt: '2026-11-22T09:30:00.000Z' },
    });
    expect(orderEventFor(modify(order('o-1', 'PROCESSING'), order('o-1', 'REJECTED', { statusReason: 'OutOfStock' })))).toEqual({
      detailType: 'OrderStatusChanged',
      detail: { orderId: 'o-1', customerId: 'customer-1', status: 'REJECTED', previousStatus: 'PROCESSING', totalCents: 250, changedAt: '2026-11-22T09:31:00.000Z', reason: 'OutOfStock' },
    });
    expect(orderEventFor(modify(order('o-1', 'PROCESSING'), order('o-1', 'PROCESSING', { chargeId: 'ch_1' })))).toBeUndefined();
    expect(orderEventFor(record('REMOVE', undefined, orderToItem(order('o-1', 'COMPLETED'))))).toBeUndefined();
  });

  test('an item put by hand is a MalformedOrderRecord naming what is wrong', () => {
    expect(() => orderEventFor(record('INSERT', { orderId: { S: 'poison-1' }, status: { S: 'EXPLODED' } }))).toThrow(
      expect.objectContaining({ name: 'MalformedOrderRecord', message: expect.stringContaining('status "EXPLODED" is not one of PLACED, PROCESSING, COMPLETED, CANCELLED, REJECTED') }));
    expect(() => orderEventFor(insert(order('o-2', 'COMPLETED')))).toThrow('a new order must be PLACED, not COMPLETED');
  });
});

describe('publishing a batch', () => {
  function bus(refuse: (entry: EventEntry, index: number) => string | undefined = () => undefined) {
    const sent: EventEntry[][] = [];
    const putEvents = async (entries: EventEntry[]): Promise<PutEventsAnswer> => {
      sent.push(entries);
      const results = entries.map((entry, i) => {
        const code = refuse(entry, i);
        return code ? { ErrorCode: code, ErrorMessage: 'no' } : { EventId: `id-${i}` };
      });
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    };
    return { sent, putEvents };
  }

  test('a poison record stops the batch there: earlier records are published, it and later ones are retried from its sequence number', async () => {
    const poison = record('INSERT', { orderId: { S: 'poison-1' } });
    const records = [insert(order('o-a', 'PLACED')), modify(order('o-a', 'PLACED'), order('o-a', 'PROCESSING')), poison, insert(order('o-b', 'PLACED'))];
    const { sent, putEvents } = bus();
    const failures: string[] = [];
    const response = await publishOrderChanges(records, { eventBusName: 'cafe', putEvents, onFailed: (r, reason) => failures.push(`${r.dynamodb?.SequenceNumber}: ${reason}`) });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.dynamodb!.SequenceNumber }] });
    expect(sent.flat().map((e) => [e.DetailType, JSON.parse(e.Detail).orderId])).toEqual([['OrderPlaced', 'o-a'], ['OrderStatusChanged', 'o-a']]);
    expect(failures).toEqual([expect.stringMatching(/is not a valid order: customerId is missing or malformed/)]);
  });

  test('an entry EventBridge refuses is the batch item failure; entries before it count as published', async () => {
    const records = [insert(order('o-c', 'PLACED')), insert(order('o-d', 'PLACED')), insert(order('o-e', 'PLACED'))];
    const published: string[] = [];
    const { putEvents } = bus((_, i) => (i === 1 ? 'ThrottlingException' : undefined));
    const failures: string[] = [];
    const response = await publishOrderChanges(records, {
      eventBusName: 'cafe', putEvents, onPublished: (e) => published.push(e.detail.orderId), onFailed: (_, reason) => failures.push(reason),
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1].dynamodb!.SequenceNumber }]);
    expect(published).toEqual(['o-c']);
    expect(failures).toEqual(['EventBridge refused the event: ThrottlingException no']);
  });

  test('a batch of 25 changes goes out in chunks of at most 10 entries, in stream order', async () => {
    const records = Array.from({ length: 25 }, (_, i) => insert(order(`o-${i}`, 'PLACED')));
    const { sent, putEvents } = bus();
    expect(await publishOrderChanges(records, { eventBusName: 'cafe', putEvents })).toEqual({ batchItemFailures: [] });
    expect(sent.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
    expect(sent.flat().map((e) => JSON.parse(e.Detail).orderId)).toEqual(records.map((_, i) => `o-${i}`));
  });
});

describe('order-stream bundle', () => {
  test('puts the events on the configured bus with the cafe.orders source and the invocation\'s trace header', async () => {
    const api = await startEventBridgeApi();
    const restore = useLocalAws({ eventbridge: api.url });
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    try {
      const handler = loadBundle('order-stream', 'ORDER_STREAM_CONFIG', { eventBusName: 'cafe' });
      const poison = record('MODIFY', { orderId: { S: 'x' } }, { orderId: { S: 'x' } });
      const response = await handler({ Records: [insert(order('o-bundle', 'PLACED')), poison] }, lambdaContext('order-stream'));
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.dynamodb!.SequenceNumber }] });
      expect(api.events).toEqual([expect.objectContaining({
        EventBusName: 'cafe', Source: 'cafe.orders', DetailType: 'OrderPlaced', TraceHeader: process.env._X_AMZN_TRACE_ID,
      })]);
      expect(JSON.parse(api.events[0].Detail).orderId).toBe('o-bundle');
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
      restore();
      await api.stop();
    }
  });
});
