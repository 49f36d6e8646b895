import { performance } from 'node:perf_hooks';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { bundleReport } from './support/bundle-report';
import { createBatchConsumer } from '../lambda-src/fanout-consumer/consumer';
import { createLogger, createMetrics } from '../lambda-src/shared';

// Per-record overhead of the fan-out consumer against a hand-rolled loop, at batch sizes
// 10 / 100 / 1000 with one record in seven failing (research/runtime.md SQ1), plus the
// size of the shipped bundle (SQ2). Every variant runs the same trivial record handler, so
// the difference is the framework. Loopback only; prints figures, asserts nothing.
const BATCH_SIZES = [10, 100, 1000];
const RECORDS_PER_RUN = 200_000;
const WARMUP_RECORDS = 20_000;

function makeEvent(size: number): SQSEvent {
  const records: SQSRecord[] = [];
  for (let i = 0; i < size; i++) {
    records.push({
      messageId: `m-${i}`,
      receiptHandle: 'r',
      body: i % 7 === 3 ? 'fail' : `{"orderId":"o-${i}","eventType":"created"}`,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 's', ApproximateFirstReceiveTimestamp: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:bench',
      awsRegion: 'us-east-1',
    });
  }
  return { Records: records };
}

const failure = new Error('business failure');
const recordHandler = (body: string): void => {
  if (body === 'fail') throw failure;
};

type Consume = (event: SQSEvent) => Promise<SQSBatchResponse>;

const handRolled: Consume = async (event) => {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  for (const record of event.Records) {
    try {
      recordHandler(record.body);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

const powertoolsOnly: Consume = (event) =>
  processPartialResponse(event, async (record: SQSRecord) => recordHandler(record.body), new BatchProcessor(EventType.SQS));

const silentLogger = { debug: () => undefined, warn: () => undefined };
const engineOnly: Consume = createBatchConsumer({ recordHandler: (m) => recordHandler(m.body), logger: silentLogger, maxConcurrency: 10_000 });
const engineBounded: Consume = createBatchConsumer({ recordHandler: (m) => recordHandler(m.body), logger: silentLogger, maxConcurrency: 10 });
const shipped: Consume = createBatchConsumer({
  recordHandler: (m) => recordHandler(m.body),
  logger: createLogger('bench'),
  metrics: createMetrics('bench'),
  maxConcurrency: 10,
});

async function perRecordMicros(consume: Consume, event: SQSEvent): Promise<number> {
  const size = event.Records.length;
  for (let n = 0; n < WARMUP_RECORDS; n += size) await consume(event);
  const start = performance.now();
  let records = 0;
  for (; records < RECORDS_PER_RUN; records += size) await consume(event);
  return ((performance.now() - start) * 1000) / records;
}

/** Run `fn` with stdout and stderr discarded (the shipped variant logs failures and writes EMF). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}


async function main(): Promise<void> {
  console.log(`fanout-consumer per-record overhead (Node ${process.version}, ${RECORDS_PER_RUN} records per cell, 1 in 7 failing)`);
  const rows: Array<Record<string, string | number>> = [];
  for (const size of BATCH_SIZES) {
    const event = makeEvent(size);
    const base = await perRecordMicros(handRolled, event);
    const powertools = await perRecordMicros(powertoolsOnly, event);
    const engine = await perRecordMicros(engineOnly, event);
    const bounded = await perRecordMicros(engineBounded, event);
    const full = await quietly(() => perRecordMicros(shipped, event));
    rows.push({
      'batch': size,
      'hand-rolled µs': +base.toFixed(2),
      'Powertools only µs': +powertools.toFixed(2),
      'consumer µs': +engine.toFixed(2),
      'consumer, maxConcurrency 10 µs': +bounded.toFixed(2),
      'as shipped (logs+EMF) µs': +full.toFixed(2),
      'consumer overhead vs hand-rolled µs': +(engine - base).toFixed(2),
    });
  }
  console.table(rows);

  const report = await bundleReport('fanout-consumer');
  console.log(`assets/fanout-consumer/index.js: ${report.minifiedKB} KB minified, ${report.gzipKB} KB gzip (AWS SDK external)`);
  console.table(report.parts);
}

void main();
