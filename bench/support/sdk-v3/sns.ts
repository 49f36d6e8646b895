import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { sdkCall, sdkClientConfig } from './sdk-call';
import type { AwsClientOptions } from '../../../lambda-src/shared/aws/client';
import type { Sns } from '../../../lambda-src/shared/aws/sns';

export function sns(options?: AwsClientOptions): Sns {
  const client = new SNSClient(sdkClientConfig(options));
  return {
    publish: (input, call) => sdkCall('sns', 'Publish', options, call, async (abortSignal) => {
      const out = await client.send(new PublishCommand(input), { abortSignal });
      return { MessageId: out.MessageId };
    }),
  };
}
