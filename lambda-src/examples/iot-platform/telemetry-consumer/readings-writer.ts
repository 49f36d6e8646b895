import type { DeviceIdentity } from './device-registry';
import type { Reading } from './telemetry-body';
import type { DynamoDb, DynamoItem, WriteRequest } from '../../../shared/aws/dynamodb';
import { AwsServiceError } from '../../../shared/aws/errors';
import { deviceKey, readingSortKey } from '../shared/keys';

/** Readings are kept 7 days after they arrive (the table's TTL attribute `ttl`). */
export const READING_TTL_SECONDS = 7 * 24 * 3600;
/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;

/** One reading item and the records (by index in the batch) that asked for it. */
interface PendingPut {
  readonly item: DynamoItem;
  readonly owners: number[];
}

export interface ReadingsWriterSettings {
  readonly client: DynamoDb;
  readonly tableName: string;
  readonly now: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts of one chunk's unprocessed items, the first included (6). */
  readonly maxAttempts?: number;
  /** Backoff before the second attempt; doubled each time, full jitter (25 ms). */
  readonly baseDelayMs?: number;
}

/** The readings of one record: who sent them (from the registry) and what they are. */
export interface RecordReadings {
  /** The record's index in the batch. */
  readonly index: number;
  readonly device: DeviceIdentity;
  readonly readings: readonly Reading[];
}

export interface WriteOutcome {
  /** Indices of records with at least one reading not written. */
  readonly failed: Set<number>;
  /** Why, by failure kind, for the log: `unprocessed` or the AWS error code. */
  readonly reasons: Map<string, number>;
}

/**
 * Writes the readings of a batch with BatchWriteItem, 25 at a time. Keys come from the
 * registry's tenant and device only. The sort key is the reading's time and its place in
 * its record, so a record delivered twice (producer retry, Kinesis retry from a checkpoint)
 * writes the same items again instead of adding copies; two requests for one key in a
 * batch are merged first, because BatchWriteItem refuses a request with duplicate keys.
 * Items DynamoDB leaves unprocessed are sent again with exponential backoff, a bounded
 * number of times; the records of what is still left are returned as failed.
 */
export function readingsWriter(settings: ReadingsWriterSettings): (records: readonly RecordReadings[]) => Promise<WriteOutcome> {
  const maxAttempts = settings.maxAttempts ?? 6;
  const baseDelayMs = settings.baseDelayMs ?? 25;
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const writeChunk = async (chunk: PendingPut[], outcome: WriteOutcome): Promise<void> => {
    const byKey = new Map(chunk.map((put) => [keyOf(put.item), put]));
    let remaining: WriteRequest[] = chunk.map((put) => ({ PutRequest: { Item: put.item } }));
    for (let attempt = 1; remaining.length > 0; attempt++) {
      if (attempt > 1) await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 2));
      try {
        const { UnprocessedItems } = await settings.client.batchWriteItem({ RequestItems: { [settings.tableName]: remaining } });
        remaining = UnprocessedItems?.[settings.tableName] ?? [];
      } catch (error) {
        fail(remaining, error instanceof AwsServiceError ? error.code : 'Error');
        return;
      }
      if (remaining.length > 0 && attempt >= maxAttempts) {
        fail(remaining, 'unprocessed');
        return;
      }
    }

    function fail(requests: WriteRequest[], reason: string): void {
      outcome.reasons.set(reason, (outcome.reasons.get(reason) ?? 0) + requests.length);
      for (const request of requests) {
        const put = request.PutRequest && byKey.get(keyOf(request.PutRequest.Item));
        put?.owners.forEach((owner) => outcome.failed.add(owner));
      }
    }
  };

  return async (records) => {
    const expiresAt = Math.floor(settings.now() / 1000) + READING_TTL_SECONDS;
    const puts = new Map<string, PendingPut>();
    for (const { index, device, readings } of records) {
      const pk = deviceKey(device.tenantId, device.deviceId);
      readings.forEach((reading, n) => {
        const item: DynamoItem = {
          pk: { S: pk },
          sk: { S: readingSortKey(reading.epochMillis, n) },
          tenantId: { S: device.tenantId },
          deviceId: { S: device.deviceId },
          metric: { S: reading.metric },
          value: { N: String(reading.value) },
          ts: { S: reading.ts },
          ttl: { N: String(expiresAt) },
        };
        const key = keyOf(item);
        // The later record wins, as consecutive puts would; both records wait for the one write.
        const owners = puts.get(key)?.owners ?? [];
        if (!owners.includes(index)) owners.push(index);
        puts.set(key, { item, owners });
      });
    }
    const all = [...puts.values()];
    const outcome: WriteOutcome = { failed: new Set(), reasons: new Map() };
    const chunks: PendingPut[][] = [];
    for (let i = 0; i < all.length; i += BATCH_WRITE_LIMIT) chunks.push(all.slice(i, i + BATCH_WRITE_LIMIT));
    // A few chunks at a time: 500 records of 50 readings are 1,000 chunks.
    await runLimited(chunks, 4, (chunk) => writeChunk(chunk, outcome));
    return outcome;
  };
}

function keyOf(item: DynamoItem): string {
  return `${item.pk.S}\n${item.sk.S}`;
}

/** Run `fn` over `items`, at most `limit` at a time. */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
