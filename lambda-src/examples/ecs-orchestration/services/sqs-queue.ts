import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { JobQueue, QueueMessage } from './worker';

/** The job queue on SQS (credentials from the task role, region from the environment). */
export class SqsJobQueue implements JobQueue {
  constructor(private readonly queueUrl: string, private readonly sqs = new SQSClient({})) {}

  public async receive(waitSeconds: number, signal: AbortSignal): Promise<QueueMessage[]> {
    const out = await this.sqs.send(new ReceiveMessageCommand({
      QueueUrl: this.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }), { abortSignal: signal });
    return (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  }

  public async remove(message: QueueMessage): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle }));
  }

  public async release(messages: QueueMessage[]): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: this.queueUrl,
      Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 })),
    }));
  }
}
