import type { SQSRecord } from 'aws-lambda';
import { describeJsonSyntaxError } from './json-syntax';
import type { FanoutConsumerSettings } from '../../src/messaging/fanout-consumer-settings';
import { HandlerError } from '../shared/errors';

/**
 * How the SQS body is to be read: `raw` (raw message delivery on), `sns-envelope` (off:
 * the body is the SNS JSON notification) or `auto` (unwrap when the body is an SNS
 * notification, which lets one consumer serve queues with either setting).
 */
export type MessageFormat = FanoutConsumerSettings['messageFormat'];

/** A message attribute, from SNS (`Type`/`Value`) or SQS (`dataType`/`stringValue`), in one shape. */
export interface MessageAttribute {
  readonly type: string;
  readonly value: string;
}

/** One queued message as the record handler sees it: the published message, SNS envelope removed. */
export interface FanoutMessage {
  /** SQS message id: the identifier reported in batchItemFailures. */
  readonly messageId: string;
  /** SNS message id (stable across SNS retries) when the body was an SNS envelope. */
  readonly snsMessageId?: string;
  /** The key to de-duplicate on: the SNS message id when known, else the SQS message id. */
  readonly dedupeKey: string;
  /** The published message. */
  readonly body: string;
  /** Message attributes of the published message. */
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  /** How many times SQS has delivered this message (1 on the first delivery). */
  readonly receiveCount: number;
  /** When the message was sent to the queue (epoch ms). */
  readonly sentAt: number;
  /** FIFO message group. */
  readonly groupId?: string;
  /** The topic the message was published to, when the body was an SNS envelope. */
  readonly topicArn?: string;
  /** The queue the message came from. */
  readonly eventSourceArn: string;
  /** The body parsed as JSON; a body that is not JSON raises MessageFormatError (naming the position, never quoting the body). */
  json<T = unknown>(): T;
}

/** A body that cannot be read in the configured format: retrying cannot help. */
export class MessageFormatError extends HandlerError {
  constructor(message: string) {
    super('MESSAGE_FORMAT_INVALID', message, false);
  }
}

interface SnsEnvelope {
  readonly Type: 'Notification';
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { Type?: string; Value?: string }>;
}

/** Turn an SQS record into the message the record handler sees. Never logs or keeps the body elsewhere. */
export function decodeRecord(record: SQSRecord, format: MessageFormat): FanoutMessage {
  const envelope = format === 'raw' ? undefined : parseEnvelope(record.body);
  if (format === 'sns-envelope' && !envelope) {
    throw new MessageFormatError(`message ${record.messageId} is not an SNS notification envelope (is raw message delivery on for its queue?)`);
  }
  const body = envelope ? envelope.Message : record.body;
  const attributes = envelope ? snsAttributes(envelope.MessageAttributes) : sqsAttributes(record.messageAttributes);
  let parsed: { value: unknown } | undefined;
  return {
    messageId: record.messageId,
    snsMessageId: envelope?.MessageId,
    dedupeKey: envelope?.MessageId ?? record.messageId,
    body,
    attributes,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
    sentAt: Number(record.attributes?.SentTimestamp ?? 0),
    groupId: record.attributes?.MessageGroupId,
    topicArn: envelope?.TopicArn,
    eventSourceArn: record.eventSourceARN,
    json<T>(): T {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(body) };
        } catch (err) {
          throw new MessageFormatError(`message ${record.messageId} is not valid JSON: ${describeJsonSyntaxError(err, body)}`);
        }
      }
      return parsed.value as T;
    },
  };
}

/** The SNS envelope, if `body` is one: Type Notification with string MessageId, TopicArn and Message. */
function parseEnvelope(body: string): SnsEnvelope | undefined {
  // Cheap pre-check so raw JSON and non-JSON bodies are not parsed twice.
  if (body.length === 0 || body.charCodeAt(0) !== 123 /* { */ || !body.includes('"Notification"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const v = value as Partial<SnsEnvelope> | null;
  if (v && v.Type === 'Notification' && typeof v.MessageId === 'string' && typeof v.TopicArn === 'string' && typeof v.Message === 'string') {
    return v as SnsEnvelope;
  }
  return undefined;
}

function snsAttributes(attributes: SnsEnvelope['MessageAttributes']): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const [name, attr] of Object.entries(attributes ?? {})) {
    out[name] = { type: attr?.Type ?? 'String', value: attr?.Value ?? '' };
  }
  return out;
}

function sqsAttributes(attributes: SQSRecord['messageAttributes'] | undefined): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const [name, attr] of Object.entries(attributes ?? {})) {
    out[name] = { type: attr.dataType, value: attr.stringValue ?? attr.binaryValue ?? '' };
  }
  return out;
}
