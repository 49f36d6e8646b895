import { AwsClientOptions, awsJsonService, CallOptions } from './client';
import type { MessageAttributeValue } from './sns';

export interface SendMessageInput {
  readonly QueueUrl: string;
  /** Up to 1 MiB of text in the characters SQS allows (#x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF). */
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageAttributes?: Record<string, MessageAttributeValue>;
  /** FIFO queues only. */
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

export interface SendMessageOutput {
  readonly MessageId?: string;
  readonly MD5OfMessageBody?: string;
}

/** Sending to a queue. Errors are AwsServiceError (`QueueDoesNotExist`, `InvalidMessageContents`, ...). */
export interface Sqs {
  sendMessage(input: SendMessageInput, options?: CallOptions): Promise<SendMessageOutput>;
}

/**
 * SQS over its AWS JSON 1.0 protocol (what SDK v3 speaks since 2023): one POST to the
 * service endpoint with target `AmazonSQS.<Operation>`; the queue is named by QueueUrl in
 * the body, never by the request path.
 */
export function sqs(options?: AwsClientOptions): Sqs {
  const call = awsJsonService('sqs', 'AmazonSQS', '1.0', options);
  return {
    sendMessage: (input, o) => call<SendMessageOutput>('SendMessage', input, o),
  };
}
