import type { SQSRecord } from 'aws-lambda';
import {
  BundleHandler, CONNECTIONS_TABLE, createIotTables, fanoutRecord, kinesisRecord, loadIotBundle, partition, thresholdEvent,
} from './telemetry-consumer-harness';
import { ALERT_NOTIFIER_SETTINGS_VARIABLE } from '../../../../examples/iot-platform/alert-notifier-settings';
import type { DynamoDb } from '../../../../lambda-src/shared/aws/dynamodb';
import { captureOutput } from '../../../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../../../helpers/dynalite';
import { LoopbackServer, startLoopbackServer } from '../../../helpers/http-server';
import { lambdaContext, useLocalAws } from '../../../lambda/lambda-integration/harness';

// The shipped alert-notifier bundle against dynalite (the Connections table) and a loopback
// API Gateway management API (@connections) of the command WebSocket stage.

const CALLBACK_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/prod';

let dynamo: LocalDynamo;
let client: DynamoDb;
let stage: LoopbackServer;
let restore: () => void;
/** Connection ids the stage answers 410 Gone for (the client left), or 500 for. */
let gone: Set<string>;
let broken: Set<string>;

beforeEach(async () => {
  dynamo = await startDynalite();
  await createIotTables(dynamo);
  client = dynamo.dynamoDb();
  gone = new Set();
  broken = new Set();
  stage = await startLoopbackServer((request) => {
    const id = decodeURIComponent(request.url.split('/@connections/')[1] ?? '');
    if (gone.has(id)) return { status: 410, headers: { 'x-amzn-errortype': 'GoneException' }, body: '{"message":"Gone"}' };
    if (broken.has(id)) return { status: 500, headers: { 'x-amzn-errortype': 'InternalServerErrorException' }, body: '{"message":"Internal"}' };
    return { status: 200, body: '' };
  });
  restore = useLocalAws({ dynamodb: dynamo.endpoint, apigatewaymanagementapi: stage.url });
  const put = (pk: string, sk: string, extra: Record<string, string> = {}) => client.putItem({
    TableName: CONNECTIONS_TABLE,
    Item: { pk: { S: pk }, sk: { S: sk }, ttl: { N: '1900000000' }, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { S: v }])) },
  });
  await put('T#tenant-a#OPS', 'conn-a1', { sub: 'op-a1' });
  await put('T#tenant-a#OPS', 'conn-a2', { sub: 'op-a2' });
  await put('T#tenant-b#OPS', 'conn-b1', { sub: 'op-b1' });
  // A device's presence and a connection's own item: never alert targets.
  await put('T#tenant-a#D#sensor-1', 'CONN', { connectionId: 'conn-d1' });
  await put('C#conn-a1', 'META', { tenantId: 'tenant-a', role: 'operator' });
});
afterEach(async () => {
  restore();
  await stage.stop();
  await dynamo.stop();
});

const notifier = (): BundleHandler => loadIotBundle('alert-notifier', ALERT_NOTIFIER_SETTINGS_VARIABLE, { connectionsTable: CONNECTIONS_TABLE, commandsCallbackUrl: CALLBACK_URL });
const invoke = (handler: BundleHandler, ...records: SQSRecord[]) => handler({ Records: records }, lambdaContext('alert-notifier'));
const record = (id: string, event: { message: unknown; attributes: Record<string, string> }) => fanoutRecord(id, event.message, event.attributes);

/** Which connection got which alert, in no particular order. */
const posts = () => stage.requests.map((r) => ({ method: r.method, path: r.url, alert: r.body ? JSON.parse(r.body) : undefined }));

describe('alert-notifier', () => {
  test('an alert reaches only the operators of the event\'s tenant', async () => {
    const response = await invoke(notifier(), record('m1', thresholdEvent('tenant-b', 'sensor-1', 91.5)), record('m2', thresholdEvent('tenant-a', 'sensor-1', 82)));

    expect(response).toEqual({ batchItemFailures: [] });
    const alert = (tenantId: string, value: number) => ({ type: 'alert', tenantId, deviceId: 'sensor-1', metric: 'temperature', value, ts: '2026-12-04T05:10:00.000Z' });
    expect(posts().sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { method: 'POST', path: '/prod/@connections/conn-a1', alert: alert('tenant-a', 82) },
      { method: 'POST', path: '/prod/@connections/conn-a2', alert: alert('tenant-a', 82) },
      { method: 'POST', path: '/prod/@connections/conn-b1', alert: alert('tenant-b', 91.5) },
    ]);
  });

  test('a poison event is reported in batchItemFailures and the others succeed', async () => {
    const MARK = 'MARK-51c0';
    const valid = thresholdEvent('tenant-b', 'sensor-7');
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const handler = notifier();
    let response: unknown;
    const lines = await captureOutput(async () => {
      response = await invoke(handler,
        record('m1', valid),
        fanoutRecord('m2', `${MARK} not json`),
        fanoutRecord('m3', { ...valid.message, eventType: 'device.registered', note: MARK }, { eventType: 'device.registered', tenantId: 'tenant-b' }),
        // The attribute the topic's filter policies route on names another tenant than the body.
        fanoutRecord('m4', valid.message, { eventType: 'threshold.exceeded', tenantId: 'tenant-a' }),
        fanoutRecord('m5', { ...valid.message, tenantId: `T#${MARK}` }),
        fanoutRecord('m6', { ...valid.message, value: MARK }));
    });

    expect(response).toEqual({ batchItemFailures: ['m2', 'm3', 'm4', 'm5', 'm6'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(posts().map((p) => [p.path, p.alert.deviceId])).toEqual([['/prod/@connections/conn-b1', 'sensor-7']]);
    expect(lines.filter((l) => l.includes('"record failed"'))).toHaveLength(5);
    expect(lines.filter((l) => l.includes('"record failed"') && l.includes('is not a threshold.exceeded event'))).toHaveLength(4);
    expect(lines.filter((l) => l.includes(MARK))).toEqual([]);
  });

  test('a connection that has left loses its OPS item and the alert still succeeds', async () => {
    gone.add('conn-a2');
    const response = await invoke(notifier(), record('m1', thresholdEvent('tenant-a', 'sensor-1')));

    expect(response).toEqual({ batchItemFailures: [] });
    expect((await partition(client, CONNECTIONS_TABLE, 'T#tenant-a#OPS')).map((i) => i.sk.S)).toEqual(['conn-a1']);
    expect((await partition(client, CONNECTIONS_TABLE, 'T#tenant-b#OPS')).map((i) => i.sk.S)).toEqual(['conn-b1']);
  });

  test('a connection that fails for another reason fails the message so it is delivered again, and keeps its OPS item', async () => {
    broken.add('conn-a2');
    const response = await invoke(notifier(), record('m1', thresholdEvent('tenant-a', 'sensor-1')), record('m2', thresholdEvent('tenant-b', 'sensor-1')));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(await partition(client, CONNECTIONS_TABLE, 'T#tenant-a#OPS')).toHaveLength(2);
  });

  test('a tenant without operator connections is a success that posts nothing', async () => {
    expect(await invoke(notifier(), record('m1', thresholdEvent('tenant-c', 'sensor-1')))).toEqual({ batchItemFailures: [] });
    expect(stage.requests).toEqual([]);
  });

  test('an event that is not an SQS event is refused whole, like the library\'s consumers', async () => {
    const kinesis = { Records: [kinesisRecord(1, 'sub', thresholdEvent('tenant-a', 'sensor-1').message)] };
    await expect(notifier()(kinesis, lambdaContext('alert-notifier'))).rejects.toMatchObject({ code: 'EVENT_INVALID', message: expect.stringContaining('expected an SQS event') });
    expect(stage.requests).toEqual([]);
  });
});
