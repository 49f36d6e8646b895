import * as path from 'node:path';
import type { Context, KinesisStreamRecord, SQSRecord } from 'aws-lambda';
import { createPairTable, createRegistryTable } from './iot-tables';
import type { TelemetryConsumerSettings } from '../../../../examples/iot-platform/telemetry-consumer-settings';
import type { DynamoDb, DynamoItem } from '../../../../lambda-src/shared/aws/dynamodb';
import type { LocalDynamo } from '../../../helpers/dynalite';

// Local engines for the IoT data path's handlers (telemetry-consumer, alert-notifier,
// analytics-aggregator): the three tables of IOT-DATA.md in dynalite, events as Lambda
// delivers them, and the shipped bundles loaded as fresh execution environments.

export const REGISTRY_TABLE = 'DeviceRegistry';
export const READINGS_TABLE = 'Readings';
export const CONNECTIONS_TABLE = 'Connections';
export const BY_SUB_INDEX = 'bySub';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:AnalyticsEvents';

/** The consumer's settings against the harness's tables, topic and the given rejected-telemetry queue. */
export function telemetryConsumerSettings(rejectedQueueUrl: string, overrides: Partial<TelemetryConsumerSettings> = {}): TelemetryConsumerSettings {
  return {
    readingsTable: READINGS_TABLE,
    registryTable: REGISTRY_TABLE,
    bySubIndex: BY_SUB_INDEX,
    rejectedQueueUrl,
    analyticsTopicArn: TOPIC_ARN,
    temperatureThreshold: 80,
    ...overrides,
  };
}

/** DeviceRegistry (with its bySub and byTenant indexes), Readings and Connections. */
export async function createIotTables(dynamo: LocalDynamo): Promise<void> {
  await createRegistryTable(dynamo, REGISTRY_TABLE);
  for (const table of [READINGS_TABLE, CONNECTIONS_TABLE]) await createPairTable(dynamo, table);
}

export interface RegisteredDevice {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly sub: string;
  readonly status?: 'active' | 'decommissioned';
}

/** A device's registry item, as device-api writes it. */
export async function registerDevice(client: DynamoDb, device: RegisteredDevice): Promise<void> {
  await client.putItem({
    TableName: REGISTRY_TABLE,
    Item: {
      pk: { S: `T#${device.tenantId}#D#${device.deviceId}` },
      sk: { S: 'META' },
      tenantId: { S: device.tenantId },
      deviceId: { S: device.deviceId },
      sub: { S: device.sub },
      username: { S: `${device.tenantId}.${device.deviceId}` },
      status: { S: device.status ?? 'active' },
      createdAt: { S: '2026-12-01T00:00:00.000Z' },
    },
  });
}

/** Every item of one partition, in sort key order. */
export async function partition(client: DynamoDb, table: string, pk: string): Promise<DynamoItem[]> {
  const { Items = [] } = await client.query({
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: pk } },
  });
  return Items;
}

/** Every item of a table. */
export async function allItems(client: DynamoDb, table: string): Promise<DynamoItem[]> {
  const { Items = [] } = await client.scan({ TableName: table });
  return Items;
}

/** A Kinesis sequence number (digits, growing with `n`). */
export const sequenceNumber = (n: number) => `49590338271490256608559692538361571095921575989136${String(n).padStart(6, '0')}`;

/** A Kinesis record as Lambda delivers it; `data` is a body (JSON-encoded), text or raw bytes. */
export function kinesisRecord(n: number, partitionKey: string, data: unknown): KinesisStreamRecord {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber: sequenceNumber(n),
      data: bytes.toString('base64'),
      approximateArrivalTimestamp: 1_796_360_000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber(n)}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/telemetry-consumer',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/telemetry',
  };
}

/** An SQS record of a FanoutTopic queue (raw delivery off): the SNS envelope around `message`. */
export function fanoutRecord(messageId: string, message: unknown, attributes: Record<string, string> = {}): SQSRecord {
  const envelope = {
    Type: 'Notification',
    MessageId: `sns-${messageId}`,
    TopicArn: TOPIC_ARN,
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-12-04T05:00:00.000Z',
    MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { Type: 'String', Value: value }])),
  };
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(envelope),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'sns', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:OperatorAlerts',
    awsRegion: 'us-east-1',
  };
}

/** A threshold.exceeded event as the telemetry consumer publishes it, with its message attributes. */
export function thresholdEvent(tenantId: string, deviceId: string, value = 91.5, ts = '2026-12-04T05:10:00.000Z') {
  return {
    message: { eventType: 'threshold.exceeded', tenantId, deviceId, metric: 'temperature', value, ts },
    attributes: { eventType: 'threshold.exceeded', tenantId },
  };
}

export type BundleHandler = (event: unknown, context: Context) => Promise<any>;

/** A fresh module instance of a shipped IoT bundle (a new execution environment) with its settings variable set. */
export function loadIotBundle(name: string, settingsVariable: string, settings: unknown): BundleHandler {
  process.env[settingsVariable] = JSON.stringify(settings);
  let handler: BundleHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(path.join(__dirname, '..', '..', '..', '..', 'assets', 'examples', 'iot-platform', name, 'index.js')).handler;
  });
  return handler!;
}
