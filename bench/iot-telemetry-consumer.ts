import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarize } from './support/stats';
import type { DynamoDb } from '../lambda-src/shared/aws/dynamodb';
import {
  createIotTables, kinesisRecord, registerDevice, telemetryConsumerSettings,
} from '../test/examples/iot-platform/handlers/telemetry-consumer-harness';
import { startAwsStub } from '../test/helpers/aws-stub';
import { LOCAL_CREDENTIALS, startDynalite } from '../test/helpers/dynalite';
import { startSqsStub } from '../test/helpers/sqs-stub';

// Per-record processing time of the shipped telemetry-consumer bundle (IoT capacity model,
// §5: it replaces the assumed 250 ms per 500-record batch), against dynalite for the
// registry and readings, the loopback SQS stub as the rejected-telemetry queue and the
// loopback SNS stub as the analytics topic. Batches of 100 and 500 records from 100
// devices, 1 or 5 readings each; a mixed batch adds 2% refused records and 1% readings
// over the threshold. The registry cache is warm after the first batch, as in a Lambda
// environment that keeps consuming a shard. dynalite is a single-threaded JS engine on
// this machine, so a figure here is an upper bound of the consumer's own cost plus a slow
// local DynamoDB, not a prediction of AWS latency. Prints figures; asserts nothing.
//
//   npx projen bench iot-telemetry-consumer [--batches N]
const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const BATCHES = Number(args[args.indexOf('--batches') + 1] || 8) || 8;
const DEVICES = 100;

type Handler = (event: unknown, context: unknown) => Promise<{ batchItemFailures: unknown[] }>;

interface Case {
  readonly records: number;
  readonly readingsPerRecord: number;
  readonly mixed: boolean;
}

const CASES: Case[] = [
  { records: 100, readingsPerRecord: 1, mixed: false },
  { records: 500, readingsPerRecord: 1, mixed: false },
  { records: 100, readingsPerRecord: 5, mixed: false },
  { records: 500, readingsPerRecord: 5, mixed: false },
  { records: 500, readingsPerRecord: 1, mixed: true },
];

const sub = (d: number) => `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`;

/** One batch; `batch` moves the readings' times so every batch writes new items. */
function makeEvent(c: Case, batch: number, startMs: number) {
  const records = [];
  for (let i = 0; i < c.records; i++) {
    const ts = startMs + batch * 1_000_000 + i * 10;
    const hot = c.mixed && i % 100 === 7;
    const readings = Array.from({ length: c.readingsPerRecord }, (_, n) => ({
      ts: ts + n, metric: n === 0 ? 'temperature' : `metric_${n}`, value: hot && n === 0 ? 95 : 20 + (i % 10),
    }));
    const refused = c.mixed && i % 50 === 3;
    records.push(kinesisRecord(batch * 10_000 + i, sub(i % DEVICES), refused ? { readings: [{ ...readings[0], value: 'hot' }] } : { readings }));
  }
  return { Records: records };
}

async function main(): Promise<void> {
  const dynamo = await startDynalite();
  await createIotTables(dynamo);
  const client: DynamoDb = dynamo.dynamoDb();
  for (let d = 0; d < DEVICES; d++) await registerDevice(client, { tenantId: `tenant-${d % 10}`, deviceId: `sensor-${d}`, sub: sub(d) });
  const queue = await startSqsStub();
  const topic = await startAwsStub();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: queue.endpoint,
    AWS_ENDPOINT_URL_SNS: topic.url,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    TELEMETRY_CONSUMER_CONFIG: JSON.stringify(telemetryConsumerSettings(queue.queueUrl)),
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(path.join(ROOT, 'assets', 'examples', 'iot-platform', 'telemetry-consumer', 'index.js')) as { handler: Handler };
  const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench', functionName: 'telemetry-consumer' };
  const startMs = Date.now() - 3600_000;

  console.log(`telemetry-consumer bundle against dynalite (Node ${process.version}, ${BATCHES} batches per row after one cold-cache batch, ${DEVICES} devices)`);
  const rows = [];
  let batchNo = 0;
  for (const c of CASES) {
    const cold = performance.now();
    const first = await handler(makeEvent(c, batchNo++, startMs), context);
    const coldMs = performance.now() - cold;
    const samples: number[] = [];
    let reported = first.batchItemFailures.length;
    for (let b = 0; b < BATCHES; b++) {
      const event = makeEvent(c, batchNo++, startMs);
      const t = performance.now();
      const response = await handler(event, context);
      samples.push(performance.now() - t);
      reported += response.batchItemFailures.length;
    }
    const s = summarize(samples);
    rows.push({
      'records': c.records,
      'readings/record': c.readingsPerRecord,
      'mix': c.mixed ? '2% refused, 1% hot' : 'all valid',
      'first batch ms': +coldMs.toFixed(0),
      'batch ms p50': +s.p50.toFixed(0),
      'batch ms max': +s.max.toFixed(0),
      'per record ms (p50)': +(s.p50 / c.records).toFixed(3),
      'records/s': Math.round((c.records * 1000) / s.p50),
      'reported': reported,
    });
  }
  console.table(rows);
  console.log(`rejected-telemetry messages sent: ${queue.calls.filter((call) => call.action === 'SendMessage').length}; threshold events published: ${topic.calls.length}`);
  console.log('capacity-model.md assumed 250 ms per 500-record batch; compare the "batch ms p50" of the 500-record rows (dynalite, not DynamoDB).');
  await Promise.all([queue.stop(), topic.stop()]);
  await dynamo.stop();
  // Keep-alive sockets of the bundle's clients would hold the process open.
  process.exit(0);
}

void main();
