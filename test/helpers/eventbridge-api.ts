import { LoopbackServer, startLoopbackServer } from './http-server';

// EventBridge's PutEvents on loopback, for the clients of lambda-src/shared/aws/eventbridge.ts
// and the handlers that use them.

/** One PutEvents entry as EventBridge received it. */
export interface ReceivedEvent {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly TraceHeader?: string;
}

/**
 * EventBridge's PutEvents on loopback (AWS JSON 1.1). `refuse(entry)` returning an error
 * code makes that entry fail, as EventBridge reports throttled or invalid entries.
 */
export type EventBridgeApi = LoopbackServer & { events: ReceivedEvent[]; refuse: (rule?: (entry: ReceivedEvent) => string | undefined) => void };

export async function startEventBridgeApi(): Promise<EventBridgeApi> {
  const events: ReceivedEvent[] = [];
  let refusal: ((entry: ReceivedEvent) => string | undefined) | undefined;
  const server = await startLoopbackServer((request) => {
    if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') return { status: 400, body: '{"__type":"UnknownOperationException"}' };
    const entries = (JSON.parse(request.body) as { Entries: ReceivedEvent[] }).Entries;
    const results = entries.map((entry) => {
      const code = refusal?.(entry);
      if (code) return { ErrorCode: code, ErrorMessage: 'refused by the test' };
      events.push(entry);
      return { EventId: `evt-${events.length}` };
    });
    return {
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }),
    };
  });
  return Object.assign(server, { events, refuse: (rule?: (entry: ReceivedEvent) => string | undefined) => { refusal = rule; } });
}
