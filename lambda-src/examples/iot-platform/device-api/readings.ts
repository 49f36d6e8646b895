import { invalidField } from './answers';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { deviceKey, readingSortKey } from '../shared/keys';

// A device's readings (sk `R#<epoch ms>#<n>`), newest first, through the caller's
// tenant-scoped session. Aggregates (`AGG#...`) share the partition and are never listed.

export interface Reading {
  readonly ts: string;
  readonly metric: string;
  readonly value: number;
}

export interface ReadingsQuery {
  /** Only readings at or after this instant (epoch ms). */
  readonly sinceMs?: number;
  readonly limit: number;
  /** Continue after this sort key (a cursor from the previous page). */
  readonly afterSortKey?: string;
}

export interface ReadingsPage {
  readonly readings: Reading[];
  /** The sort key to continue after, while there may be more. */
  readonly lastSortKey?: string;
}

const READING_SORT_KEY = /^R#\d{13}#\d{3}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
// The largest sort key a reading can have: the upper bound when only `since` bounds the range.
const LAST_READING_SORT_KEY = 'R#9999999999999#999';

export async function readDevicePage(dynamo: DynamoDb, table: string, tenant: string, deviceId: string, query: ReadingsQuery): Promise<ReadingsPage> {
  const pk = deviceKey(tenant, deviceId);
  const page = await dynamo.query({
    TableName: table,
    KeyConditionExpression: query.sinceMs === undefined ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: query.sinceMs === undefined
      ? { ':pk': { S: pk }, ':prefix': { S: 'R#' } }
      : { ':pk': { S: pk }, ':from': { S: readingSortKey(query.sinceMs, 0) }, ':to': { S: LAST_READING_SORT_KEY } },
    // The cursor carries only a sort key; the partition is the caller's own device.
    ExclusiveStartKey: query.afterSortKey === undefined ? undefined : { pk: { S: pk }, sk: { S: query.afterSortKey } },
    ScanIndexForward: false,
    Limit: query.limit,
  });
  const readings = (page.Items ?? []).map((item) => ({ ts: item.ts?.S ?? '', metric: item.metric?.S ?? '', value: Number(item.value?.N) }));
  return { readings, lastSortKey: page.LastEvaluatedKey?.sk?.S };
}

/** `since`: an ISO 8601 instant with a zone (`2026-12-04T05:00:00Z`). */
export function parseSince(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms) || ms < 0) throw invalidField('since', value, 'an ISO 8601 instant with a time zone, e.g. 2026-12-04T05:00:00Z');
  return ms;
}

/** `limit`: an integer from 1 to `max`, `max` when absent. */
export function parseLimit(value: string | undefined, max: number): number {
  if (value === undefined) return max;
  const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidField('limit', value, `an integer from 1 to ${max}`);
  return n;
}

/** A readings cursor (`next`) back to the sort key it stands for. */
export function readingsCursor(next: string | undefined): string | undefined {
  if (next === undefined) return undefined;
  const sortKey = decodeCursor(next);
  if (sortKey === undefined || !READING_SORT_KEY.test(sortKey)) throw invalidField('next', next, 'a cursor from a previous page of this device\'s readings');
  return sortKey;
}

/** Cursors are opaque to callers: base64url of the one value they stand for. */
export function encodeCursor(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
