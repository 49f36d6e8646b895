import type { SQSRecord } from 'aws-lambda';
import {
  ConsumerHandler, failures, invokeConsumer, loadConsumerBundle, order, snsEnvelope, sqsEvent, sqsRecord, startReservationsStore,
} from './fanout-consumer-harness';
import type { LocalDynamo } from '../helpers/dynalite';

// Hostile input against every shipped bundle built on createConsumerHandler: the example
// fan-out consumer and the two lab consumers, as Lambda loads them from assets/. A foreign
// event, a record Lambda would never send, and bodies that break JSON.parse must each get a
// clear answer - and no body text may reach a log line, including the error the Lambda
// runtime prints when an invocation fails.

const MARKER = 'MARKER-7f3e9c-card-4111111111111111';

interface Bundle {
  readonly name: string;
  /** A body the bundle's record handler rejects on purpose (its poison message, a PoisonMessageError). */
  readonly poison: string;
  load(): ConsumerHandler;
}

const BUNDLES: Bundle[] = [
  {
    name: 'fanout-consumer',
    load: () => loadConsumerBundle('fanout-consumer', 'FANOUT_CONSUMER_CONFIG', { failMarker: 'POISON' }),
    poison: order('o-p', { note: 'POISON' }),
  },
  {
    name: 'examples/inventory-consumer',
    load: () => loadConsumerBundle('examples/inventory-consumer', 'INVENTORY_CONSUMER_CONFIG', { reservationsTable: 'reservations' }),
    poison: order('o-p', { poison: true }),
  },
  {
    name: 'examples/notification-consumer',
    load: () => loadConsumerBundle('examples/notification-consumer', 'NOTIFICATION_CONSUMER_CONFIG'),
    poison: order('o-p', { poison: true }),
  },
];

/** An order every bundle processes successfully (the inventory consumer reserves it in dynalite). */
const GOOD_ORDER = order('o-ok', { userId: 'u-1', status: 'CONFIRMED', sku: 'sku-1', quantity: 1 });

const saved = { ...process.env };
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startReservationsStore();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
});
afterAll(async () => {
  process.env = saved;
  await dynamo.stop();
});

/** What the Lambda Node.js runtime prints for a failed invocation: the error with its enumerable properties, nested errors expanded. */
function runtimeErrorLine(error: unknown): string {
  return JSON.stringify(error, (_key, value) => value instanceof Error
    ? { errorType: value.name, errorMessage: value.message, ...value, stack: value.stack?.split('\n') }
    : value);
}

const snsEvent = {
  Records: [{
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:order-events:0f7a',
    Sns: { Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:order-events', Message: order('o-1'), Timestamp: '2026-11-22T06:00:00.000Z' },
  }],
};
const s3Event = {
  Records: [{
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-11-22T06:00:00.000Z',
    eventName: 'ObjectCreated:Put',
    s3: { bucket: { name: 'orders', arn: 'arn:aws:s3:::orders' }, object: { key: 'o-1.json', size: 42 } },
  }],
};

describe.each(BUNDLES)('$name bundle', (bundle) => {
  let handler: ConsumerHandler;
  beforeAll(() => {
    handler = bundle.load();
  });

  test.each([
    ['an SNS event', snsEvent, "Records[0] has eventSource 'aws:sns'"],
    ['an S3 event', s3Event, "Records[0] has eventSource 'aws:s3'"],
    ['an SQS event with one foreign record', { Records: [sqsRecord('m1', order('o-1')), ...s3Event.Records] }, "Records[1] has eventSource 'aws:s3'"],
    ['an event without Records', { httpMethod: 'GET', path: '/orders' }, 'got an object with keys httpMethod, path'],
    ['a string', 'hello', 'got a string'],
  ])('%s is refused up front with an error naming what was received', async (_name, foreign, named) => {
    const { error, response, records } = await invokeConsumer(handler, foreign);
    expect(response).toBeUndefined();
    expect(error?.message).toMatch(/^expected an SQS event/);
    expect(error?.message).toContain(named);
    expect((error as { code?: string }).code).toBe('EVENT_INVALID');
    // Refused before any record was touched: no per-record failures, nothing processed.
    expect(records.filter((r) => r.message === 'record failed')).toEqual([]);
    expect(JSON.stringify(records)).not.toContain('TypeError');
  });

  test('a record without messageId is refused with the whole batch instead of being reported as itemIdentifier undefined', async () => {
    const { messageId: _dropped, ...anonymous } = sqsRecord('m2', 'not json');
    const { error, response } = await invokeConsumer(handler, sqsEvent(sqsRecord('m1', GOOD_ORDER), anonymous as SQSRecord));
    expect(response).toBeUndefined();
    expect(error?.message).toBe('expected an SQS event: Records[1] has no messageId, so a failure of it could not be reported for redelivery');
  });

  test('a body carrying a marker never reaches a log line, whatever breaks JSON.parse', async () => {
    const bodies = [
      `{"orderId": ${MARKER}}`, // V8 quotes the text around the unexpected token
      MARKER, // short enough for V8 to quote it whole
      `{"orderId": "o-1", "note": "${MARKER}`, // unterminated string
      `${'x'.repeat(3)}${MARKER}`,
      snsEnvelope('sns-1', `{"orderId": ${MARKER}}`), // the published message inside the envelope
      JSON.stringify({ note: MARKER }), // valid JSON, not an order
      bundle.poison.replace('"o-p"', `"${MARKER}"`),
    ];
    const mixed = await invokeConsumer(handler, sqsEvent(...bodies.map((body, i) => sqsRecord(`m${i + 1}`, body)), sqsRecord('ok', GOOD_ORDER)));
    const allFailed = await invokeConsumer(handler, sqsEvent(sqsRecord('x1', `[${MARKER}]`), sqsRecord('x2', `{"a": ${MARKER}`)));

    expect(mixed.response).toEqual(failures(...bodies.map((_body, i) => `m${i + 1}`)));
    expect(allFailed.error?.name).toBe('FullBatchFailureError');
    const lines = [...mixed.lines, ...allFailed.lines, ...[mixed.error, allFailed.error].filter((e) => e !== undefined).map(runtimeErrorLine)];
    expect(lines.filter((line) => line.includes('MARKER'))).toEqual([]);
    // The warnings still say what went wrong and where: the error class and the position.
    const warnings = mixed.records.filter((r) => r.message === 'record failed');
    expect(warnings.find((w) => w.messageId === 'm1')).toMatchObject({
      errorName: 'MessageFormatError', errorCode: 'MESSAGE_FORMAT_INVALID', errorMessage: 'message m1 is not valid JSON: SyntaxError at position 12',
    });
    expect(warnings.find((w) => w.messageId === 'm2')?.errorMessage).toBe('message m2 is not valid JSON: SyntaxError at position 0');
    expect(warnings.find((w) => w.messageId === 'm3')?.errorMessage).toBe(`message m3 is not valid JSON: SyntaxError at position ${bodies[2].length}`);
  });

  test('error names in the logs are the class names, not minified ones', async () => {
    const { records } = await invokeConsumer(handler, sqsEvent(sqsRecord('m1', bundle.poison), sqsRecord('m2', 'not json'), sqsRecord('m3', '{}')));
    const names = Object.fromEntries(records.filter((r) => r.message === 'record failed').map((r) => [r.messageId, r.errorName]));
    expect(names).toEqual({ m1: 'PoisonMessageError', m2: 'MessageFormatError', m3: 'MessageFormatError' });
  });
});
