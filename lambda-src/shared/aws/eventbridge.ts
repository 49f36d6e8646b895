import { AwsClientOptions, awsJsonService, CallOptions } from './client';

/** One event for PutEvents. */
export interface PutEventsRequestEntry {
  readonly EventBusName?: string;
  readonly Source: string;
  readonly DetailType: string;
  /** The event's detail, as JSON text. */
  readonly Detail: string;
  readonly Time?: Date;
  readonly Resources?: readonly string[];
  /** An X-Ray trace header, so the trace continues through the bus. */
  readonly TraceHeader?: string;
}

/** One result per entry, in the order sent; a refused entry carries ErrorCode and ErrorMessage. */
export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

export interface PutEventsOutput {
  readonly FailedEntryCount?: number;
  readonly Entries?: readonly PutEventsResultEntry[];
}

/**
 * Putting events on a bus. Entries can fail one by one while the call succeeds (see
 * FailedEntryCount); errors of the call itself are AwsServiceError.
 */
export interface EventBridge {
  putEvents(input: { readonly Entries: readonly PutEventsRequestEntry[] }, options?: CallOptions): Promise<PutEventsOutput>;
}

/** EventBridge over its AWS JSON 1.1 protocol, signed as `events`. */
export function eventBridge(options?: AwsClientOptions): EventBridge {
  const call = awsJsonService('events', 'AWSEvents', '1.1', options);
  return {
    putEvents: (input, o) => call<PutEventsOutput>('PutEvents', {
      // The protocol's timestamps are epoch seconds; JSON would write a Date as ISO text.
      Entries: input.Entries.map(({ Time, ...entry }) => (Time === undefined ? entry : { ...entry, Time: Time.getTime() / 1000 })),
    }, o),
  };
}
