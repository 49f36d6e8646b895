import type { KinesisStreamRecord } from 'aws-lambda';
import {
  allItems, BundleHandler, createIotTables, kinesisRecord, loadIotBundle, partition, READINGS_TABLE, registerDevice,
  sequenceNumber, telemetryConsumerSettings, TOPIC_ARN,
} from './telemetry-consumer-harness';
import { TELEMETRY_CONSUMER_SETTINGS_VARIABLE, TelemetryConsumerSettings } from '../../../../examples/iot-platform/telemetry-consumer-settings';
import type { DynamoDb } from '../../../../lambda-src/shared/aws/dynamodb';
import { AwsStub, startAwsStub } from '../../../helpers/aws-stub';
import { captureOutput, jsonLines } from '../../../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../../../helpers/dynalite';
import { DynamoFaultProxy, startDynamoFaultProxy } from '../../../helpers/dynamo-fault-proxy';
import { closedLoopbackPort } from '../../../helpers/loopback-port';
import { SqsStub, startSqsStub } from '../../../helpers/sqs-stub';
import { lambdaContext, useLocalAws } from '../../../lambda/lambda-integration/harness';

// The shipped telemetry-consumer bundle against dynalite (behind a proxy that can throttle
// or cut it), the loopback SQS stub as the rejected-telemetry queue and the loopback SNS
// stub as the AnalyticsEvents topic.

const TS = '2026-11-30T10:00:00.000Z';
const TS_MS = Date.parse(TS);
const SENSOR_1 = { tenantId: 'tenant-a', deviceId: 'sensor-1', sub: '11111111-aaaa-4000-8000-000000000001' };
const SENSOR_2 = { tenantId: 'tenant-a', deviceId: 'sensor-2', sub: '22222222-aaaa-4000-8000-000000000002' };
const SENSOR_B = { tenantId: 'tenant-b', deviceId: 'sensor-1', sub: '33333333-bbbb-4000-8000-000000000003' };
const RETIRED = { tenantId: 'tenant-a', deviceId: 'retired-1', sub: '44444444-aaaa-4000-8000-000000000004', status: 'decommissioned' as const };
const UNKNOWN_SUB = '99999999-0000-4000-8000-000000000009';

const reading = (metric: string, value: unknown, ts: unknown = TS) => ({ ts, metric, value });
const body = (...readings: unknown[]) => ({ readings });

let dynamo: LocalDynamo;
let proxy: DynamoFaultProxy;
let client: DynamoDb;
let queue: SqsStub;
let topic: AwsStub;
let restore: () => void;

async function startEngines(snsUrl?: string): Promise<void> {
  dynamo = await startDynalite();
  await createIotTables(dynamo);
  proxy = await startDynamoFaultProxy(dynamo.endpoint);
  client = dynamo.dynamoDb();
  for (const device of [SENSOR_1, SENSOR_2, SENSOR_B, RETIRED]) await registerDevice(client, device);
  queue = await startSqsStub();
  topic = await startAwsStub();
  restore = useLocalAws({ dynamodb: proxy.url, sqs: queue.endpoint, sns: snsUrl ?? topic.url });
}

beforeEach(() => startEngines());
afterEach(async () => {
  restore();
  await Promise.all([proxy.stop(), queue.stop(), topic.stop()]);
  await dynamo.stop();
});

const settings = (overrides?: Partial<TelemetryConsumerSettings>): TelemetryConsumerSettings => telemetryConsumerSettings(queue.queueUrl, overrides);

const consumer = (overrides?: Partial<TelemetryConsumerSettings>): BundleHandler =>
  loadIotBundle('telemetry-consumer', TELEMETRY_CONSUMER_SETTINGS_VARIABLE, settings(overrides));

const invoke = (handler: BundleHandler, ...records: KinesisStreamRecord[]) => handler({ Records: records }, lambdaContext('telemetry-consumer'));

/** The rejected-telemetry messages, by the sequence number they name. */
function rejections(): Map<string, Record<string, any>> {
  return new Map(queue.messages.map((m) => {
    const message = JSON.parse(m.body);
    return [message.sequenceNumber, message];
  }));
}

const failures = (...n: number[]) => ({ batchItemFailures: n.map((i) => ({ itemIdentifier: sequenceNumber(i) })) });
const pkOf = (device: { tenantId: string; deviceId: string }) => `T#${device.tenantId}#D#${device.deviceId}`;

describe('telemetry-consumer', () => {
  test('a valid reading is written under the tenant the registry gives for the token subject', async () => {
    const before = Math.floor(Date.now() / 1000);
    // tenant-b's sensor-1 shares its device id with tenant-a's: only the subject tells them apart.
    const response = await invoke(consumer(), kinesisRecord(1, SENSOR_B.sub, body(reading('temperature', 21.5), reading('humidity', 40, TS_MS + 1))));

    expect(response).toEqual(failures());
    const items = await partition(client, READINGS_TABLE, pkOf(SENSOR_B));
    expect(items.map((i) => [i.sk.S, i.metric.S, i.value.N, i.ts.S, i.tenantId.S, i.deviceId.S])).toEqual([
      [`R#${TS_MS}#000`, 'temperature', '21.5', TS, 'tenant-b', 'sensor-1'],
      [`R#${TS_MS + 1}#001`, 'humidity', '40', new Date(TS_MS + 1).toISOString(), 'tenant-b', 'sensor-1'],
    ]);
    const ttl = Number(items[0].ttl.N);
    expect(ttl).toBeGreaterThanOrEqual(before + 7 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 7 * 24 * 3600);
    expect(await allItems(client, READINGS_TABLE)).toHaveLength(2);
    expect(queue.messages).toEqual([]);
    expect(topic.calls).toEqual([]);
  });

  test('a record claiming another tenant or device in its body is rejected as DEVICE_MISMATCH and nothing is written', async () => {
    const response = await invoke(consumer(),
      kinesisRecord(1, SENSOR_B.sub, { tenantId: 'tenant-a', ...body(reading('temperature', 99)) }),
      kinesisRecord(2, SENSOR_B.sub, { deviceId: 'sensor-2', ...body(reading('temperature', 99)) }),
      kinesisRecord(3, SENSOR_B.sub, { tenantId: 'tenant-b', deviceId: 'sensor-1', ...body(reading('humidity', 1)) }));

    expect(response).toEqual(failures());
    const rejected = rejections();
    expect(rejected.get(sequenceNumber(1))).toMatchObject({
      code: 'DEVICE_MISMATCH',
      message: 'tenantId must be absent or "tenant-b" (the device of the token), got "tenant-a"',
    });
    expect(rejected.get(sequenceNumber(2))).toMatchObject({
      code: 'DEVICE_MISMATCH',
      message: 'deviceId must be absent or "sensor-1" (the device of the token), got "sensor-2"',
    });
    // Only the record that names its own tenant and device is stored; no event for the refused hot readings.
    expect((await allItems(client, READINGS_TABLE)).map((i) => [i.pk.S, i.metric.S])).toEqual([[pkOf(SENSOR_B), 'humidity']]);
    expect(topic.calls).toEqual([]);
  });

  test('malformed telemetry is rejected with an error naming the field, the value and what is allowed', async () => {
    const cases: Array<[unknown, string, string]> = [
      ['{"readings": [', 'MALFORMED_JSON', 'body must be a JSON object, got text that is not JSON (SyntaxError at position 14)'],
      [[reading('temperature', 1)], 'MALFORMED_JSON', 'body must be a JSON object, got an array'],
      [body(), 'INVALID_READING', 'readings must be an array of 1 to 50 readings, got 0 readings'],
      [{ readings: 'many' }, 'INVALID_READING', 'readings must be an array of 1 to 50 readings, got "many"'],
      [body(...Array.from({ length: 51 }, () => reading('temperature', 1))), 'INVALID_READING', 'readings must be an array of 1 to 50 readings, got 51 readings'],
      [body(reading('temperature', 1), reading('humidity', 2), reading('temperature', 'hot')), 'INVALID_READING', 'readings[2].value must be a finite number, got "hot"'],
      [body(reading('Temperature', 1)), 'INVALID_READING', 'readings[0].metric must be a string matching ^[a-z][a-z0-9_.]{0,63}$, got "Temperature"'],
      [body(reading('temperature', 1e-200)), 'INVALID_READING', 'readings[0].value must be a number whose magnitude is 0 or between 1e-130 and 1e125, got 1e-200'],
      [body(reading('temperature', 1, '2026-02-30T10:00:00Z')), 'INVALID_READING',
        'readings[0].ts must be an ISO-8601 date-time with a time zone or epoch milliseconds, from 2000-01-01T00:00:00Z to 24 h after the time it is received, got "2026-02-30T10:00:00Z"'],
      [body(reading('temperature', 1, '2026-11-30 10:00:00')), 'INVALID_READING',
        'readings[0].ts must be an ISO-8601 date-time with a time zone or epoch milliseconds, from 2000-01-01T00:00:00Z to 24 h after the time it is received, got "2026-11-30 10:00:00"'],
      [body(reading('temperature', 1, Date.now() + 3 * 24 * 3600 * 1000)), 'INVALID_READING', 'readings[0].ts must be an ISO-8601 date-time'],
      [body({ metric: 'temperature', value: 1 }), 'INVALID_READING', 'readings[0].ts must be an ISO-8601 date-time'],
      [body('x'.repeat(100)), 'INVALID_READING', `readings[0] must be an object with ts, metric and value, got "${'x'.repeat(76)}...`],
    ];
    // 1e999 is JSON for Infinity: written by hand, JSON.stringify cannot produce it.
    const infinite = `{"readings":[{"ts":"${TS}","metric":"temperature","value":1e999}]}`;
    const records = [...cases.map(([data], i) => kinesisRecord(i + 1, SENSOR_1.sub, data)), kinesisRecord(99, SENSOR_1.sub, infinite)];

    const response = await invoke(consumer(), ...records);

    expect(response).toEqual(failures());
    const rejected = rejections();
    cases.forEach(([, code, message], i) => {
      expect([i, rejected.get(sequenceNumber(i + 1))?.code]).toEqual([i, code]);
      expect([i, rejected.get(sequenceNumber(i + 1))?.message]).toEqual([i, expect.stringContaining(message)]);
    });
    expect(rejected.get(sequenceNumber(99))).toMatchObject({ code: 'INVALID_READING', message: 'readings[0].value must be a finite number, got null' });
    expect(await allItems(client, READINGS_TABLE)).toEqual([]);
  });

  test('a record from an unknown or decommissioned subject is rejected as UNKNOWN_DEVICE', async () => {
    const response = await invoke(consumer(),
      kinesisRecord(1, UNKNOWN_SUB, body(reading('temperature', 20))),
      kinesisRecord(2, RETIRED.sub, body(reading('temperature', 20))),
      kinesisRecord(3, SENSOR_2.sub, body(reading('temperature', 20))));

    expect(response).toEqual(failures());
    const rejected = rejections();
    expect(rejected.get(sequenceNumber(1))).toMatchObject({
      code: 'UNKNOWN_DEVICE', message: 'partitionKey must be the Cognito subject of a registered device, got a subject the registry does not know', partitionKey: UNKNOWN_SUB,
    });
    expect(rejected.get(sequenceNumber(2))).toMatchObject({ code: 'UNKNOWN_DEVICE', message: 'the device of this subject must be active, got status decommissioned' });
    expect(rejected.has(sequenceNumber(3))).toBe(false);
    expect((await allItems(client, READINGS_TABLE)).map((i) => i.pk.S)).toEqual([pkOf(SENSOR_2)]);
  });

  test('rejected records reach the rejected-telemetry queue with payload and reason and the batch succeeds', async () => {
    const text = '{"readings":[{"ts":"2026-11-30T10:00:00Z","metric":"temperature","value":"hot"}]}';
    // 9 KB of two-byte characters after 23 one-byte ones: too large, and cut at 8 KB on a character boundary.
    const large = `{"readings":[],"pad":"x${'é'.repeat(4600)}"}`;
    const handler = consumer();
    let response: unknown;
    const lines = await captureOutput(async () => {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
      try {
        response = await invoke(handler,
          kinesisRecord(1, SENSOR_1.sub, text), kinesisRecord(2, SENSOR_1.sub, large), kinesisRecord(3, UNKNOWN_SUB, text));
      } finally {
        process.env.POWERTOOLS_METRICS_DISABLED = 'true';
      }
    });

    expect(response).toEqual(failures());
    const rejected = rejections();
    expect(rejected.get(sequenceNumber(1))).toEqual({
      code: 'INVALID_READING',
      message: 'readings[0].value must be a finite number, got "hot"',
      partitionKey: SENSOR_1.sub,
      sequenceNumber: sequenceNumber(1),
      shardId: 'shardId-000000000000',
      payload: text,
      payloadEncoding: 'utf-8',
      payloadBytes: Buffer.byteLength(text),
      payloadTruncated: false,
      rejectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const tooLarge = rejected.get(sequenceNumber(2))!;
    expect(tooLarge).toMatchObject({ code: 'TOO_LARGE', message: `body must be at most 8192 bytes, got ${Buffer.byteLength(large)}`, payloadTruncated: true, payloadEncoding: 'utf-8' });
    expect(Buffer.byteLength(tooLarge.payload)).toBe(8191); // 8192 would split an é
    expect(large.startsWith(tooLarge.payload)).toBe(true);
    // The invalid record of an unknown subject is refused for its body first: no registry read is spent on it.
    expect(rejected.get(sequenceNumber(3))).toMatchObject({ code: 'INVALID_READING' });
    expect(proxy.calls.filter((c) => c.operation === 'Query')).toEqual([]);

    const emf = jsonLines(lines).filter((l) => l._aws && 'TelemetryRejected' in l);
    expect(emf.map((l) => [l.code, l.TelemetryRejected, l._aws.CloudWatchMetrics[0].Dimensions[0]])).toEqual(expect.arrayContaining([
      ['INVALID_READING', 2, expect.arrayContaining(['code'])],
      ['TOO_LARGE', 1, expect.arrayContaining(['code'])],
    ]));
  });

  test('data that is not UTF-8 is rejected as MALFORMED_JSON and kept in base64', async () => {
    const bytes = Buffer.concat([Buffer.from('{"readings":[{"metric":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}]}')]);
    const response = await invoke(consumer(), kinesisRecord(1, SENSOR_1.sub, bytes));

    expect(response).toEqual(failures());
    expect(rejections().get(sequenceNumber(1))).toMatchObject({
      code: 'MALFORMED_JSON',
      message: `body must be UTF-8 encoded JSON, got ${bytes.length} bytes that are not valid UTF-8`,
      payload: bytes.toString('base64'),
      payloadEncoding: 'base64',
      payloadBytes: bytes.length,
    });
  });

  test('text SQS refuses (U+FFFF) is escaped in the rejection instead of failing its delivery', async () => {
    const text = '{"readings":[{"metric":"\uffff","ts":1,"value":1}]}';
    const response = await invoke(consumer(), kinesisRecord(1, SENSOR_1.sub, text));

    expect(response).toEqual(failures());
    expect(queue.messages[0].body).not.toMatch(/\uffff/);
    expect(queue.messages[0].body).toContain('\\uffff');
    expect(JSON.parse(queue.messages[0].body).payload).toBe(text);
  });

  test('a DynamoDB throttle reports only the affected sequence numbers as batch item failures', async () => {
    // sensor-2's partition is throttled on every attempt; everything else is written.
    proxy.withhold((request) => request.PutRequest?.Item.pk.S === pkOf(SENSOR_2));
    const response = await invoke(consumer(),
      kinesisRecord(1, SENSOR_1.sub, body(reading('temperature', 20))),
      kinesisRecord(2, SENSOR_2.sub, body(reading('temperature', 21))),
      kinesisRecord(3, SENSOR_1.sub, body(reading('temperature', 22, TS_MS + 1))),
      kinesisRecord(4, SENSOR_2.sub, body(reading('temperature', 23, TS_MS + 1))),
      kinesisRecord(5, SENSOR_B.sub, body(reading('temperature', 24))));

    expect(response).toEqual(failures(2, 4));
    expect((await allItems(client, READINGS_TABLE)).map((i) => [i.pk.S, i.value.N]).sort()).toEqual([
      [pkOf(SENSOR_1), '20'], [pkOf(SENSOR_1), '22'], [pkOf(SENSOR_B), '24'],
    ]);
    // The unprocessed items were sent again, a bounded number of times (6 attempts).
    expect(proxy.calls.filter((c) => c.operation === 'BatchWriteItem')).toHaveLength(6);
  });

  test('items DynamoDB leaves unprocessed once are sent again and nothing is reported', async () => {
    let throttled = 0;
    proxy.withhold((request) => request.PutRequest?.Item.pk.S === pkOf(SENSOR_2) && throttled++ < 1);
    const response = await invoke(consumer(),
      kinesisRecord(1, SENSOR_1.sub, body(reading('temperature', 20))),
      kinesisRecord(2, SENSOR_2.sub, body(reading('temperature', 21))));

    expect(response).toEqual(failures());
    expect(await allItems(client, READINGS_TABLE)).toHaveLength(2);
    expect(proxy.calls.filter((c) => c.operation === 'BatchWriteItem').map((c) => c.input.RequestItems[READINGS_TABLE].length)).toEqual([2, 1]);
  });

  test('a record delivered twice in one batch writes its readings once and both records succeed', async () => {
    const data = body(reading('temperature', 20), reading('humidity', 30));
    const response = await invoke(consumer(), kinesisRecord(1, SENSOR_1.sub, data), kinesisRecord(2, SENSOR_1.sub, data));

    expect(response).toEqual(failures());
    expect(await allItems(client, READINGS_TABLE)).toHaveLength(2);
  });

  test('a reading over its threshold publishes one analytics event with tenantId and eventType attributes', async () => {
    const response = await invoke(consumer(),
      kinesisRecord(1, SENSOR_B.sub, body(reading('temperature', 80), reading('temperature', 80.5), reading('humidity', 95))));

    expect(response).toEqual(failures());
    expect(topic.calls.map((c) => c.action)).toEqual(['Publish']);
    const publish = topic.calls[0].body;
    expect(publish.TopicArn).toBe(TOPIC_ARN);
    expect(JSON.parse(publish.Message)).toEqual({ eventType: 'threshold.exceeded', tenantId: 'tenant-b', deviceId: 'sensor-1', metric: 'temperature', value: 80.5, ts: TS });
    expect(publish).toMatchObject({
      'MessageAttributes.entry.1.Name': 'eventType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'threshold.exceeded',
      'MessageAttributes.entry.2.Name': 'tenantId',
      'MessageAttributes.entry.2.Value.DataType': 'String',
      'MessageAttributes.entry.2.Value.StringValue': 'tenant-b',
    });
    expect(await partition(client, READINGS_TABLE, pkOf(SENSOR_B))).toHaveLength(3);
  });

  test('an SNS outage reports the record whose event could not be published, defers later events and still writes every reading', async () => {
    restore();
    restore = useLocalAws({ dynamodb: proxy.url, sqs: queue.endpoint, sns: `http://127.0.0.1:${await closedLoopbackPort()}` });
    const response = await invoke(consumer(),
      kinesisRecord(1, SENSOR_1.sub, body(reading('temperature', 20))),
      kinesisRecord(2, SENSOR_1.sub, body(reading('temperature', 95, TS_MS + 2))),
      kinesisRecord(3, SENSOR_2.sub, body(reading('temperature', 21))),
      kinesisRecord(4, SENSOR_2.sub, body(reading('temperature', 96, TS_MS + 4))));

    // Lambda resumes from record 2; record 4's event waits for that redelivery instead of being sent twice.
    expect(response).toEqual(failures(2, 4));
    expect((await allItems(client, READINGS_TABLE)).map((i) => i.value.N).sort()).toEqual(['20', '21', '95', '96']);
  });

  test('a DynamoDB outage reports every record that needs it and loses nothing', async () => {
    proxy.setDown(true);
    const handler = consumer();
    const records = [
      kinesisRecord(1, SENSOR_1.sub, body(reading('temperature', 20))),
      kinesisRecord(2, SENSOR_2.sub, body(reading('temperature', 21))),
      kinesisRecord(3, SENSOR_1.sub, 'not json'),
    ];
    // The registry cannot be read: both valid records are reported; the refused one needs no table.
    expect(await invoke(handler, ...records)).toEqual(failures(1, 2));
    expect([...rejections().keys()]).toEqual([sequenceNumber(3)]);

    // Lambda delivers them again once DynamoDB is back: every reading arrives.
    proxy.setDown(false);
    expect(await invoke(handler, ...records.slice(0, 2))).toEqual(failures());
    expect(await allItems(client, READINGS_TABLE)).toHaveLength(2);

    // With the registry cached, an outage during the write reports the records too.
    proxy.setDown(true);
    expect(await invoke(handler, kinesisRecord(4, SENSOR_1.sub, body(reading('temperature', 22, TS_MS + 9))))).toEqual(failures(4));
  });

  test('a record that cannot be queued as rejected is reported instead of dropped', async () => {
    const handler = consumer({ rejectedQueueUrl: 'http://127.0.0.1:1/000000000000/missing' });
    restore();
    restore = useLocalAws({ dynamodb: proxy.url, sqs: `http://127.0.0.1:${await closedLoopbackPort()}`, sns: topic.url });
    const response = await invoke(handler, kinesisRecord(1, SENSOR_1.sub, 'not json'), kinesisRecord(2, SENSOR_1.sub, body(reading('temperature', 20))));

    expect(response).toEqual(failures(1));
    expect(await allItems(client, READINGS_TABLE)).toHaveLength(1);
  });

  test('an event that is not a Kinesis event is refused whole and nothing is written', async () => {
    const sqsEvent = { Records: [{ messageId: 'm1', body: JSON.stringify(body(reading('temperature', 20))), eventSource: 'aws:sqs' }] };
    await expect(consumer()(sqsEvent, lambdaContext('telemetry-consumer'))).rejects.toMatchObject({
      name: 'InvalidKinesisEventError', code: 'EVENT_INVALID', message: 'expected a Kinesis event: Records[0] has eventSource "aws:sqs"',
    });
    await expect(consumer()({}, lambdaContext('telemetry-consumer'))).rejects.toMatchObject({ message: 'expected a Kinesis event with a Records array' });
    expect(await allItems(client, READINGS_TABLE)).toEqual([]);
  });

  test('no record body appears in any log line, whatever happens to the record', async () => {
    const MARK = 'MARK-7f3a';
    proxy.withhold((request) => request.PutRequest?.Item.pk.S === pkOf(SENSOR_2));
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const handler = consumer();
    const lines = await captureOutput(() => invoke(handler,
      kinesisRecord(1, SENSOR_1.sub, { note: MARK, ...body(reading('temperature', 20)) }),
      kinesisRecord(2, SENSOR_1.sub, body(reading(MARK.toLowerCase(), 1))),
      kinesisRecord(3, SENSOR_1.sub, `${MARK} {`),
      kinesisRecord(4, SENSOR_1.sub, { deviceId: MARK, ...body(reading('temperature', 1)) }),
      kinesisRecord(5, SENSOR_2.sub, { note: MARK, ...body(reading('temperature', 99)) }),
      kinesisRecord(6, UNKNOWN_SUB, { note: MARK, ...body(reading('temperature', 1)) }),
      kinesisRecord(7, SENSOR_1.sub, body(reading('temperature', 'MARK-7f3a')))));

    expect(lines.some((l) => l.includes('"batch processed"'))).toBe(true);
    expect(lines.some((l) => l.includes('"record reported for retry"') && l.includes(sequenceNumber(5)))).toBe(true);
    expect(lines.filter((l) => l.toLowerCase().includes(MARK.toLowerCase()))).toEqual([]);
  });
});
