import type { SQSRecord } from 'aws-lambda';
import {
  allItems, BundleHandler, createIotTables, fanoutRecord, loadIotBundle, partition, READINGS_TABLE, thresholdEvent,
} from './telemetry-consumer-harness';
import { ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE } from '../../../../examples/iot-platform/analytics-aggregator-settings';
import type { DynamoDb } from '../../../../lambda-src/shared/aws/dynamodb';
import { LocalDynamo, startDynalite } from '../../../helpers/dynalite';
import { closedLoopbackPort } from '../../../helpers/loopback-port';
import { lambdaContext, useLocalAws } from '../../../lambda/lambda-integration/harness';

// The shipped analytics-aggregator bundle against dynalite (the Readings table's AGG#<hour> items).

let dynamo: LocalDynamo;
let client: DynamoDb;
let restore: () => void;

beforeEach(async () => {
  dynamo = await startDynalite();
  await createIotTables(dynamo);
  client = dynamo.dynamoDb();
  restore = useLocalAws({ dynamodb: dynamo.endpoint });
});
afterEach(async () => {
  restore();
  await dynamo.stop();
});

const aggregator = (): BundleHandler => loadIotBundle('analytics-aggregator', ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, { readingsTable: READINGS_TABLE });
const invoke = (handler: BundleHandler, ...records: SQSRecord[]) => handler({ Records: records }, lambdaContext('analytics-aggregator'));
const record = (id: string, event: { message: unknown; attributes: Record<string, string> }) => fanoutRecord(id, event.message, event.attributes);

describe('analytics-aggregator', () => {
  test('each event adds one to its device\'s counter for the event\'s hour and keeps the last value', async () => {
    const handler = aggregator();
    expect(await invoke(handler,
      record('m1', thresholdEvent('tenant-a', 'sensor-1', 81, '2026-12-04T05:10:00.000Z')),
      record('m2', thresholdEvent('tenant-b', 'sensor-1', 85, '2026-12-04T05:20:00.000Z')),
      record('m3', thresholdEvent('tenant-a', 'sensor-1', 90, '2026-12-04T06:00:00.000Z')))).toEqual({ batchItemFailures: [] });
    // A later batch, in the same hour: the counter grows without a read.
    expect(await invoke(handler, record('m4', thresholdEvent('tenant-a', 'sensor-1', 88, '2026-12-04T05:59:59.999Z')))).toEqual({ batchItemFailures: [] });

    const summary = async (pk: string) =>
      (await partition(client, READINGS_TABLE, pk)).map((i) => [i.sk.S, i.count.N, i.lastValue.N, i.lastMetric.S]);
    expect(await summary('T#tenant-a#D#sensor-1')).toEqual([
      ['AGG#2026-12-04T05', '2', '88', 'temperature'],
      ['AGG#2026-12-04T06', '1', '90', 'temperature'],
    ]);
    expect(await summary('T#tenant-b#D#sensor-1')).toEqual([['AGG#2026-12-04T05', '1', '85', 'temperature']]);
  });

  test('a poison event is reported in batchItemFailures and the others succeed', async () => {
    const valid = thresholdEvent('tenant-a', 'sensor-1');
    const response = await invoke(aggregator(),
      record('m1', valid),
      fanoutRecord('m2', '{"eventType": "threshold.exceeded",'),
      fanoutRecord('m3', { ...valid.message, ts: 'yesterday' }, valid.attributes),
      fanoutRecord('m4', { ...valid.message, deviceId: 'sensor#1' }, valid.attributes),
      fanoutRecord('m5', valid.message, { eventType: 'threshold.exceeded', tenantId: 'tenant-b' }),
      record('m6', valid));

    expect(response).toEqual({ batchItemFailures: ['m2', 'm3', 'm4', 'm5'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect((await allItems(client, READINGS_TABLE)).map((i) => [i.pk.S, i.sk.S, i.count.N])).toEqual([['T#tenant-a#D#sensor-1', 'AGG#2026-12-04T05', '2']]);
  });

  test('a DynamoDB outage fails the whole batch back to the queue instead of losing it', async () => {
    restore();
    restore = useLocalAws({ dynamodb: `http://127.0.0.1:${await closedLoopbackPort()}` });
    await expect(invoke(aggregator(), record('m1', thresholdEvent('tenant-a', 'sensor-1')), record('m2', thresholdEvent('tenant-a', 'sensor-2'))))
      .rejects.toMatchObject({ name: 'FullBatchFailureError' });
  });
});
