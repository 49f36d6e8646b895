import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeRecord, FanoutMessage, MessageFormat } from './envelope';
import { describeJsonSyntaxError } from './json-syntax';
import { HandlerError } from '../shared/errors';

/**
 * The business logic for one message. Throwing fails only this message: it is reported in
 * batchItemFailures, SQS redelivers it after the visibility timeout and moves it to the
 * queue's dead-letter queue after maxReceiveCount receives.
 */
export type RecordHandler = (message: FanoutMessage, context: RecordContext) => Promise<void> | void;

/** What a record handler may know about the invocation. */
export interface RecordContext {
  /** The Lambda context, absent when the consumer is called outside Lambda (tests, benchmarks). */
  readonly lambdaContext?: Context;
  /** Whether the batch came from a FIFO queue. */
  readonly fifo: boolean;
}

/** The logger shape the consumer needs; a Powertools Logger fits. */
export interface ConsumerLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

/** The metrics shape the consumer needs; a Powertools Metrics fits. */
export interface ConsumerMetrics {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): void;
  publishStoredMetrics(): void;
}

/** Settings of a batch consumer. */
export interface BatchConsumerOptions {
  readonly recordHandler: RecordHandler;
  readonly logger: ConsumerLogger;
  /** @default - no metrics */
  readonly metrics?: ConsumerMetrics;
  /** @default 'auto' */
  readonly messageFormat?: MessageFormat;
  /** Records of a standard-queue batch processed at the same time (1 = one after the other). @default 10 */
  readonly maxConcurrency?: number;
  /** The queue's maxReceiveCount, to flag failures that will dead-letter the message. @default - unknown */
  readonly maxReceiveCount?: number;
  /** No record starts when less remains of the invocation; it is reported failed instead. @default 2000 */
  readonly deadlineSafetyMs?: number;
  /** Throw when every record failed, so the poller backs off (Powertools default). @default true */
  readonly throwOnFullBatchFailure?: boolean;
  /**
   * FIFO: `stop-batch` reports the failed record and every later one (order kept across the
   * batch); `skip-group` only the later records of the failed record's message group.
   * @default 'stop-batch'
   */
  readonly fifoFailureMode?: 'stop-batch' | 'skip-group';
}

/** A record that was not started because the invocation was about to time out. */
export class DeadlineError extends HandlerError {
  constructor(remainingMs: number) {
    super('DEADLINE_NEAR', `not started: only ${remainingMs} ms of the invocation remained`, true);
  }
}

/** Not an SQS event, or a record Lambda never sends: a wiring mistake, refused before any record runs. */
export class InvalidEventError extends HandlerError {
  constructor(problem: string) {
    super('EVENT_INVALID', `expected an SQS event${problem}`, false);
  }
}

/** Per-invocation counts; never shared between invocations. */
interface BatchStats {
  failed: number;
  deadLettering: number;
  maxAgeMs: number;
  maxReceiveCount: number;
}

/**
 * An SQS event handler that runs `recordHandler` for every record through Powertools batch
 * processing and returns a partial batch response, so a poison message fails only itself.
 * A batch from a FIFO queue (its ARN ends in `.fifo`) is processed in order with
 * `SqsFifoPartialProcessorAsync`. All per-invocation state lives in the call, so concurrent
 * invocations in one environment do not interfere.
 */
export function createBatchConsumer(options: BatchConsumerOptions): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const format = options.messageFormat ?? 'auto';
  const maxConcurrency = options.maxConcurrency ?? 10;
  const deadlineSafetyMs = options.deadlineSafetyMs ?? 2000;
  const { recordHandler, logger, metrics, maxReceiveCount } = options;

  return async (event, lambdaContext) => {
    const records = sqsRecordsOf(event);
    const fifo = records.length > 0 && typeof records[0].eventSourceARN === 'string' && records[0].eventSourceARN.endsWith('.fifo');
    const stats: BatchStats = { failed: 0, deadLettering: 0, maxAgeMs: 0, maxReceiveCount: 0 };
    const context: RecordContext = { lambdaContext, fifo };
    const limit = fifo || maxConcurrency >= records.length ? undefined : createLimiter(maxConcurrency);
    const now = Date.now();

    const processRecord = async (record: SQSRecord): Promise<void> => {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
      const sentAt = Number(record.attributes?.SentTimestamp ?? now);
      if (now - sentAt > stats.maxAgeMs) stats.maxAgeMs = now - sentAt;
      if (receiveCount > stats.maxReceiveCount) stats.maxReceiveCount = receiveCount;
      try {
        const remaining = lambdaContext?.getRemainingTimeInMillis?.();
        if (remaining !== undefined && remaining < deadlineSafetyMs) throw new DeadlineError(remaining);
        const message = decodeRecord(record, format);
        if (limit) {
          await limit(() => recordHandler(message, context));
        } else {
          // Await only a real promise: a synchronous handler then costs no extra microtask.
          const pending = recordHandler(message, context);
          if (pending) await pending;
        }
      } catch (err) {
        stats.failed++;
        const willDeadLetter = maxReceiveCount !== undefined && receiveCount >= maxReceiveCount;
        if (willDeadLetter) stats.deadLettering++;
        logger.warn('record failed', {
          messageId: record.messageId,
          groupId: record.attributes?.MessageGroupId,
          receiveCount,
          errorName: err instanceof Error ? err.name : typeof err,
          errorCode: (err as HandlerError)?.code,
          errorMessage: failureMessage(err),
          willDeadLetter,
        });
        throw err;
      }
    };

    const run = fifo
      ? () => processPartialResponse(event, processRecord, new SqsFifoPartialProcessorAsync(), {
        context: lambdaContext,
        throwOnFullBatchFailure: options.throwOnFullBatchFailure,
        skipGroupOnError: options.fifoFailureMode === 'skip-group',
      })
      : () => processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
        context: lambdaContext,
        throwOnFullBatchFailure: options.throwOnFullBatchFailure,
        processInParallel: maxConcurrency > 1,
      });
    let response: SQSBatchResponse | undefined;
    try {
      response = validResponse(await run(), records);
      return response;
    } finally {
      const reported = response ? response.batchItemFailures.length : records.length;
      if (metrics) {
        metrics.addMetric('RecordsReceived', 'Count', records.length);
        metrics.addMetric('RecordsSucceeded', 'Count', records.length - reported);
        metrics.addMetric('RecordsFailed', 'Count', stats.failed);
        metrics.addMetric('RecordsSkipped', 'Count', Math.max(0, reported - stats.failed));
        metrics.addMetric('RecordsDeadLettering', 'Count', stats.deadLettering);
        metrics.addMetric('BatchFullFailure', 'Count', response ? 0 : 1);
        metrics.addMetric('MessageAgeMax', 'Milliseconds', stats.maxAgeMs);
        metrics.addMetric('ReceiveCountMax', 'Count', stats.maxReceiveCount);
        metrics.publishStoredMetrics();
      }
      logger.debug('batch processed', { records: records.length, failed: stats.failed, reported, fifo, fullBatchFailure: !response });
    }
  };
}

/**
 * The records of an SQS event. Anything else - an SNS or S3 event, a test event without
 * Records, a record without messageId (its failure could not be reported) - is refused
 * whole, naming what arrived, instead of failing record by record with a TypeError.
 */
function sqsRecordsOf(event: unknown): SQSRecord[] {
  const records = (event as Partial<SQSEvent> | null)?.Records;
  if (!Array.isArray(records)) throw new InvalidEventError(` with a Records array, got ${shapeOf(event)}`);
  records.forEach((record: Partial<SQSRecord> & { EventSource?: unknown }, i) => {
    const source: unknown = record?.eventSource ?? record?.EventSource;
    if (source !== 'aws:sqs') {
      throw new InvalidEventError(source === undefined
        ? `: Records[${i}] has no eventSource (${shapeOf(record)})`
        : `: Records[${i}] has eventSource '${String(source).slice(0, 64)}'`);
    }
    if (typeof record.messageId !== 'string' || record.messageId === '') {
      throw new InvalidEventError(`: Records[${i}] has no messageId, so a failure of it could not be reported for redelivery`);
    }
  });
  return records;
}

/** The shape of a foreign value for an error message: its type and top-level keys, never its values. */
function shapeOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === null ? 'null' : `a ${typeof value}`;
  if (Array.isArray(value)) return 'an array';
  const keys = Object.keys(value);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 8).map((k) => k.slice(0, 40)).join(', ')}${keys.length > 8 ? ', ...' : ''}`;
}

/**
 * The message a failed record's WARN carries. The library's own messages never quote a
 * body; a SyntaxError's does (V8 quotes the parsed text), so only its position is kept, and
 * a thrown non-Error value is not logged at all.
 */
function failureMessage(err: unknown): string | undefined {
  if (err instanceof SyntaxError) return describeJsonSyntaxError(err);
  return err instanceof Error ? err.message.slice(0, 256) : undefined;
}

/**
 * Never return a malformed response: only ids of this batch, each once. Lambda's handling
 * of an unknown identifier is not documented for SQS, so it must not happen.
 */
function validResponse(response: SQSBatchResponse, records: SQSRecord[]): SQSBatchResponse {
  const ids = new Set(records.map((r) => r.messageId));
  const seen = new Set<string>();
  const batchItemFailures = response.batchItemFailures.filter((f) => {
    if (!ids.has(f.itemIdentifier) || seen.has(f.itemIdentifier)) return false;
    seen.add(f.itemIdentifier);
    return true;
  });
  return { batchItemFailures };
}

/** Run at most `max` calls at once; a finished call hands its slot to the next waiting one. */
function createLimiter(max: number): <T>(fn: () => T | Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
