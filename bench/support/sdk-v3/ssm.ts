import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { sdkCall, sdkClientConfig } from './sdk-call';
import type { AwsClientOptions } from '../../../lambda-src/shared/aws/client';
import type { Ssm } from '../../../lambda-src/shared/aws/ssm';

export function ssm(options?: AwsClientOptions): Ssm {
  const client = new SSMClient(sdkClientConfig(options));
  return {
    getParameter: (input, call) => sdkCall('ssm', 'GetParameter', options, call, async (abortSignal) => {
      const out = await client.send(new GetParameterCommand(input), { abortSignal });
      return { Parameter: out.Parameter && { Name: out.Parameter.Name, Value: out.Parameter.Value, Version: out.Parameter.Version } };
    }),
  };
}
