import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { sdkCall, sdkClientConfig } from './sdk-call';
import type { AwsClientOptions } from '../../../lambda-src/shared/aws/client';
import type { Lambda } from '../../../lambda-src/shared/aws/lambda';

export function lambda(options?: AwsClientOptions): Lambda {
  const client = new LambdaClient(sdkClientConfig(options));
  return {
    invoke: (input, call) => sdkCall('lambda', 'Invoke', options, call, async (abortSignal) => {
      const payload = typeof input.Payload === 'string' ? Buffer.from(input.Payload) : input.Payload;
      const out = await client.send(new InvokeCommand({ ...input, Payload: payload }), { abortSignal });
      return { StatusCode: out.StatusCode ?? 200, FunctionError: out.FunctionError, Payload: out.Payload };
    }),
  };
}
