import type { RejectionCode } from './telemetry-body';

/** What the rejected-telemetry queue holds for one refused record. */
export interface RejectedRecordMessage {
  readonly code: RejectionCode;
  /** Names the field, the value and what is allowed. */
  readonly message: string;
  /** The device's Cognito subject (the record's partition key). */
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly shardId?: string;
  /** The record's data, cut at {@link MAX_KEPT_PAYLOAD_BYTES}; as text when it is UTF-8, otherwise base64. */
  readonly payload: string;
  readonly payloadEncoding: 'utf-8' | 'base64';
  /** The size of the whole record data, in bytes. */
  readonly payloadBytes: number;
  readonly payloadTruncated: boolean;
  readonly rejectedAt: string;
}

export const MAX_KEPT_PAYLOAD_BYTES = 8 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The message for one refused record. */
export function rejectedRecordMessage(
  record: { data: Buffer; partitionKey: string; sequenceNumber: string; shardId?: string },
  code: RejectionCode,
  message: string,
  now: number,
): RejectedRecordMessage {
  const { data } = record;
  const truncated = data.length > MAX_KEPT_PAYLOAD_BYTES;
  const kept = keptUtf8(data);
  return {
    code,
    message,
    partitionKey: record.partitionKey,
    sequenceNumber: record.sequenceNumber,
    ...(record.shardId === undefined ? {} : { shardId: record.shardId }),
    payload: kept ?? data.subarray(0, MAX_KEPT_PAYLOAD_BYTES).toString('base64'),
    payloadEncoding: kept === undefined ? 'base64' : 'utf-8',
    payloadBytes: data.length,
    payloadTruncated: truncated,
    rejectedAt: new Date(now).toISOString(),
  };
}

/**
 * The message as an SQS body. JSON.stringify escapes control characters but not U+FFFE and
 * U+FFFF, which are valid UTF-8 yet refused by SQS (InvalidMessageContents): they are
 * escaped too, so a hostile payload cannot make its own rejection fail.
 */
export function rejectedRecordBody(message: RejectedRecordMessage): string {
  return JSON.stringify(message).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * The first 8 KB of `data` as text when the whole of it is UTF-8 (the cut never splits a
 * character), or undefined when it is not UTF-8.
 */
function keptUtf8(data: Buffer): string | undefined {
  try {
    utf8.decode(data);
  } catch {
    return undefined;
  }
  let end = Math.min(data.length, MAX_KEPT_PAYLOAD_BYTES);
  // Step back over continuation bytes (0x80-0xBF) so the cut falls on a character boundary.
  if (end < data.length) while (end > 0 && data[end] >= 0x80 && data[end] < 0xc0) end--;
  return data.subarray(0, end).toString('utf8');
}
