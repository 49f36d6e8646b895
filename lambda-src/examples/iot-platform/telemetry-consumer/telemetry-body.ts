// What a device may put on the telemetry stream, checked before anything is stored. Every
// refusal names the field path, the value (truncated) and what is allowed; it is sent to the
// rejected-telemetry queue for the device's owner, never logged (it quotes the body).
import { describeJsonSyntaxError } from '../../../fanout-consumer/json-syntax';

/** Why a record is refused for good; retrying cannot change the answer. */
export type RejectionCode = 'MALFORMED_JSON' | 'INVALID_READING' | 'TOO_LARGE' | 'UNKNOWN_DEVICE' | 'DEVICE_MISMATCH';

export class TelemetryRejection extends Error {
  constructor(public readonly code: RejectionCode, message: string) {
    super(message);
    this.name = 'TelemetryRejection';
  }
}

/** One checked reading; `epochMillis` is the reading's time, `ts` the same instant as ISO text. */
export interface Reading {
  readonly epochMillis: number;
  readonly ts: string;
  readonly metric: string;
  readonly value: number;
}

/** A checked body. `deviceId` / `tenantId` are what the body claims, compared later with the registry. */
export interface TelemetryBody {
  readonly deviceId?: unknown;
  readonly tenantId?: unknown;
  readonly readings: readonly Reading[];
}

export const MAX_BODY_BYTES = 8 * 1024;
export const MAX_READINGS = 50;
export const METRIC_PATTERN = /^[a-z][a-z0-9_.]{0,63}$/;
/** Readings from before 2000 or more than a day ahead come from a device whose clock is wrong. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000;
/** DynamoDB numbers: magnitude between 1e-130 and 1e126 (exclusive), or 0. A value outside fails a whole BatchWriteItem. */
const DYNAMO_MIN_MAGNITUDE = 1e-130;
const DYNAMO_MAX_MAGNITUDE = 1e125;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `value` for a message: JSON, at most 80 characters. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The body of a record, from its bytes: at most 8 KB of UTF-8 JSON with 1 to 50 readings.
 * `now` bounds how far ahead of the consumer's clock a reading may be.
 */
export function parseTelemetryBody(data: Buffer, now: number): TelemetryBody {
  if (data.length > MAX_BODY_BYTES) throw new TelemetryRejection('TOO_LARGE', `body must be at most ${MAX_BODY_BYTES} bytes, got ${data.length}`);
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new TelemetryRejection('MALFORMED_JSON', `body must be UTF-8 encoded JSON, got ${data.length} bytes that are not valid UTF-8`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TelemetryRejection('MALFORMED_JSON', `body must be a JSON object, got text that is not JSON (${describeJsonSyntaxError(error, text)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TelemetryRejection('MALFORMED_JSON', `body must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : shown(parsed)}`);
  }
  const body = parsed as Record<string, unknown>;
  const readings = body.readings;
  if (!Array.isArray(readings) || readings.length < 1 || readings.length > MAX_READINGS) {
    const got = Array.isArray(readings) ? `${readings.length} readings` : shown(readings);
    throw new TelemetryRejection('INVALID_READING', `readings must be an array of 1 to ${MAX_READINGS} readings, got ${got}`);
  }
  // Other fields of the body and of each reading are ignored, never stored.
  return { deviceId: body.deviceId, tenantId: body.tenantId, readings: readings.map((r, i) => parseReading(r, `readings[${i}]`, now)) };
}

function parseReading(raw: unknown, path: string, now: number): Reading {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid(path, raw, 'an object with ts, metric and value');
  }
  const { ts, metric, value } = raw as Record<string, unknown>;
  if (typeof metric !== 'string' || !METRIC_PATTERN.test(metric)) throw invalid(`${path}.metric`, metric, `a string matching ${METRIC_PATTERN.source}`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${path}.value`, value, 'a finite number');
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < DYNAMO_MIN_MAGNITUDE || magnitude >= DYNAMO_MAX_MAGNITUDE)) {
    throw invalid(`${path}.value`, value, 'a number whose magnitude is 0 or between 1e-130 and 1e125');
  }
  const epochMillis = timestamp(ts);
  if (epochMillis === undefined || epochMillis < EARLIEST_MS || epochMillis > now + MAX_CLOCK_AHEAD_MS) {
    throw invalid(`${path}.ts`, ts, 'an ISO-8601 date-time with a time zone or epoch milliseconds, from 2000-01-01T00:00:00Z to 24 h after the time it is received');
  }
  return { epochMillis, ts: new Date(epochMillis).toISOString(), metric, value };
}

function invalid(path: string, value: unknown, allowed: string): TelemetryRejection {
  return new TelemetryRejection('INVALID_READING', `${path} must be ${allowed}, got ${value === undefined ? 'nothing' : shown(value)}`);
}

/** Epoch ms of an ISO-8601 date-time (with a zone; a real calendar date) or of an integer epoch-ms number. */
function timestamp(ts: unknown): number | undefined {
  if (typeof ts === 'number') return Number.isSafeInteger(ts) ? ts : undefined;
  if (typeof ts !== 'string') return undefined;
  const match = ISO_DATE_TIME.exec(ts);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.parse rolls 2026-02-30 over to March 2; a reading with an impossible date is refused instead.
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}
