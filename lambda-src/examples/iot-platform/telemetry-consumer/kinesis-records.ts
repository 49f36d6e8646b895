import type { KinesisStreamRecord } from 'aws-lambda';
import { HandlerError } from '../../../shared/errors';

/** One stream record, decoded. */
export interface TelemetryRecord {
  /** Place in the batch (stream order within the shard). */
  readonly index: number;
  readonly sequenceNumber: string;
  /** The device's Cognito subject, put there by the HTTP API from the verified token. */
  readonly partitionKey: string;
  readonly shardId?: string;
  readonly data: Buffer;
}

/** Not a Kinesis event, or a record Lambda never sends: a wiring mistake, refused before any record runs. */
export class InvalidKinesisEventError extends HandlerError {
  constructor(problem: string) {
    super('EVENT_INVALID', `expected a Kinesis event${problem}`, false);
  }
}

/**
 * The records of a Kinesis event. Anything else (an SQS or SNS event, a test event without
 * Records, a record without a sequence number, whose failure could not be reported) is
 * refused whole, naming what arrived but never quoting it.
 */
export function kinesisRecordsOf(event: unknown): TelemetryRecord[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new InvalidKinesisEventError(' with a Records array');
  return records.map((raw: Partial<KinesisStreamRecord> | null, index) => {
    const source = raw?.eventSource;
    if (source !== 'aws:kinesis') {
      throw new InvalidKinesisEventError(`: Records[${index}] has ${typeof source === 'string' ? `eventSource ${JSON.stringify(source.slice(0, 64))}` : 'no eventSource'}`);
    }
    const { sequenceNumber, partitionKey, data } = raw?.kinesis ?? {};
    if (typeof sequenceNumber !== 'string' || !/^\d{1,128}$/.test(sequenceNumber)) {
      throw new InvalidKinesisEventError(`: Records[${index}] has no sequence number, so a failure of it could not be reported`);
    }
    if (typeof partitionKey !== 'string' || typeof data !== 'string') {
      throw new InvalidKinesisEventError(`: Records[${index}] needs a string partitionKey and base64 data`);
    }
    const shardId = typeof raw?.eventID === 'string' && raw.eventID.includes(':') ? raw.eventID.slice(0, raw.eventID.indexOf(':')) : undefined;
    return { index, sequenceNumber, partitionKey, shardId, data: Buffer.from(data, 'base64') };
  });
}
