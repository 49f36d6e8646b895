import * as path from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { captureOutput, jsonLines } from '../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../helpers/dynalite';

// Shared by the tests that run the shipped consumer bundles (assets/fanout-consumer and the
// lab consumers built on createConsumerHandler): load a bundle with its settings, build SQS
// records the way Lambda delivers them from an SNS-subscribed queue, and invoke with the
// output captured.

export const STANDARD_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:inventory';
export const FIFO_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:ledger.fifo';
export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:order-events';

export type ConsumerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A fresh copy of `assets/<bundle>/index.js`, initialised with `settings` in `variable` (unset when undefined). */
export function loadConsumerBundle(bundle: string, variable: string, settings?: Record<string, unknown>): ConsumerHandler {
  const previous = process.env[variable];
  if (settings) process.env[variable] = JSON.stringify(settings);
  else delete process.env[variable];
  try {
    let handler: ConsumerHandler | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = require(path.join(ASSETS_DIR, bundle, 'index.js')).handler;
    });
    return handler!;
  } finally {
    if (previous === undefined) delete process.env[variable];
    else process.env[variable] = previous;
  }
}

export function lambdaContext(remaining: () => number = () => 60_000): Context {
  return {
    awsRequestId: 'req-1',
    functionName: 'fanout-consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fanout-consumer',
    memoryLimitInMB: '256',
    getRemainingTimeInMillis: remaining,
  } as Context;
}

export interface RecordOptions {
  readonly queue?: string;
  readonly receiveCount?: number;
  readonly groupId?: string;
  readonly attributes?: Record<string, string>;
}

export function sqsRecord(messageId: string, body: string, options: RecordOptions = {}): SQSRecord {
  const queue = options.queue ?? STANDARD_QUEUE;
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now() - 1_000),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(options.groupId ? { MessageGroupId: options.groupId, SequenceNumber: '18849496460467696128', MessageDeduplicationId: messageId } : {}),
    },
    messageAttributes: Object.fromEntries(Object.entries(options.attributes ?? {}).map(([k, v]) => [k, {
      stringValue: v, stringListValues: [], binaryListValues: [], dataType: 'String',
    }])),
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: queue,
    awsRegion: 'us-east-1',
  };
}

/** The SQS body SNS writes when raw message delivery is off. */
export function snsEnvelope(snsMessageId: string, message: string, attributes: Record<string, string> = {}): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: snsMessageId,
    TopicArn: TOPIC,
    Message: message,
    Timestamp: '2026-11-22T06:00:00.000Z',
    SignatureVersion: '2',
    Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:0f7a-example`,
    MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }])),
  });
}

export const order = (orderId: string, extra: Record<string, unknown> = {}) => JSON.stringify({ orderId, eventType: 'created', ...extra });
export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
export const failures = (...ids: string[]) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });

/** Invoke with stdout and stderr captured; a thrown error is returned, not raised. */
export async function invokeConsumer(handler: ConsumerHandler, event: unknown, context: Context = lambdaContext()) {
  let response: SQSBatchResponse | undefined;
  let error: Error | undefined;
  const lines = await captureOutput(async () => {
    try {
      response = await handler(event as SQSEvent, context);
    } catch (err) {
      error = err as Error;
    }
  });
  return { response, error, lines, records: jsonLines(lines) };
}

/** dynalite with the lab inventory consumer's `reservations` table (pk = "order#<id>"). */
export async function startReservationsStore(): Promise<LocalDynamo> {
  const dynamo = await startDynalite();
  await dynamo.createTable({
    TableName: 'reservations',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return dynamo;
}
