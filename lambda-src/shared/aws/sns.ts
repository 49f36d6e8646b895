import { AwsClientOptions, awsService, CallOptions } from './client';

export interface MessageAttributeValue {
  readonly DataType: 'String' | 'Number' | 'String.Array';
  readonly StringValue: string;
}

export interface PublishInput {
  readonly TopicArn: string;
  readonly Message: string;
  readonly Subject?: string;
  readonly MessageStructure?: 'json';
  readonly MessageAttributes?: Record<string, MessageAttributeValue>;
}

/** Publishing to a topic. Errors are AwsServiceError. */
export interface Sns {
  publish(input: PublishInput, options?: CallOptions): Promise<{ MessageId?: string }>;
}

/**
 * SNS over its query protocol, as a POSTed form: messages of up to 256 KB do not fit a
 * URL, and message attributes are sent as the protocol's numbered entries.
 */
export function sns(options?: AwsClientOptions): Sns {
  const send = awsService('sns', 'xml', options);
  return {
    async publish(input, o) {
      const form = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: input.TopicArn, Message: input.Message });
      if (input.Subject !== undefined) form.set('Subject', input.Subject);
      if (input.MessageStructure !== undefined) form.set('MessageStructure', input.MessageStructure);
      Object.entries(input.MessageAttributes ?? {}).forEach(([name, value], i) => {
        const entry = `MessageAttributes.entry.${i + 1}`;
        form.set(`${entry}.Name`, name);
        form.set(`${entry}.Value.DataType`, value.DataType);
        form.set(`${entry}.Value.StringValue`, value.StringValue);
      });
      const response = await send({
        operation: 'Publish',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: form.toString(),
      }, o);
      const payload = response.payload as { PublishResult?: { MessageId?: string } } | null;
      return { MessageId: payload?.PublishResult?.MessageId };
    },
  };
}
