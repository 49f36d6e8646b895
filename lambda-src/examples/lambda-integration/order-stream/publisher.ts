import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { ORDER_EVENT_SOURCE, OrderEvent, orderEventFor } from './order-events';

/** One PutEvents entry, as the EventBridge API takes it. */
export interface EventEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Time?: Date;
  readonly TraceHeader?: string;
}

/** PutEvents' answer: one result per entry, in order; failed entries carry an ErrorCode. */
export interface PutEventsAnswer {
  readonly FailedEntryCount?: number;
  readonly Entries?: ReadonlyArray<{ readonly EventId?: string; readonly ErrorCode?: string; readonly ErrorMessage?: string }>;
}

export interface PublisherSettings {
  readonly eventBusName: string;
  readonly putEvents: (entries: EventEntry[]) => Promise<PutEventsAnswer>;
  /** The X-Ray trace header of the invocation, so the trace continues through the bus. */
  readonly traceHeader?: string;
  readonly onPublished?: (event: OrderEvent, eventId: string | undefined) => void;
  readonly onFailed?: (record: DynamoDBRecord, reason: string) => void;
}

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

/**
 * Announce a batch of orders-table changes on the café bus, in stream order. The first
 * record that cannot be announced (malformed, or refused by EventBridge) is reported as the
 * batch item failure and nothing after it is published: Lambda retries from that record
 * (bisecting the batch there), so records are never announced out of order, and a record
 * that keeps failing ends in the on-failure destination instead of blocking the shard.
 * Records before it may be announced again on a retry of a PutEvents failure: consumers
 * are idempotent (the workflow claims each order once).
 */
export async function publishOrderChanges(records: readonly DynamoDBRecord[], settings: PublisherSettings): Promise<DynamoDBBatchResponse> {
  const pending: Array<{ record: DynamoDBRecord; event: OrderEvent }> = [];
  let failed: { record: DynamoDBRecord; reason: string } | undefined;
  for (const record of records) {
    try {
      const event = orderEventFor(record);
      if (event) pending.push({ record, event });
    } catch (error) {
      failed = { record, reason: (error as Error).message };
      break;
    }
  }

  for (let start = 0; start < pending.length; start += MAX_ENTRIES) {
    const chunk = pending.slice(start, start + MAX_ENTRIES);
    const answer = await settings.putEvents(chunk.map(({ record, event }) => entryFor(record, event, settings)));
    const results = answer.Entries ?? [];
    const firstRefused = chunk.findIndex((_, i) => results[i] === undefined || results[i].ErrorCode !== undefined);
    chunk.slice(0, firstRefused === -1 ? chunk.length : firstRefused).forEach(({ event }, i) => settings.onPublished?.(event, results[i]?.EventId));
    if (firstRefused !== -1) {
      const result = results[firstRefused];
      failed = { record: chunk[firstRefused].record, reason: `EventBridge refused the event: ${result?.ErrorCode ?? 'no result'} ${result?.ErrorMessage ?? ''}`.trim() };
      break;
    }
  }

  if (!failed) return { batchItemFailures: [] };
  settings.onFailed?.(failed.record, failed.reason);
  return { batchItemFailures: [{ itemIdentifier: failed.record.dynamodb?.SequenceNumber ?? '' }] };
}

function entryFor(record: DynamoDBRecord, event: OrderEvent, settings: PublisherSettings): EventEntry {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return {
    EventBusName: settings.eventBusName,
    Source: ORDER_EVENT_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Time: typeof seconds === 'number' ? new Date(seconds * 1000) : undefined,
    TraceHeader: settings.traceHeader,
  };
}
