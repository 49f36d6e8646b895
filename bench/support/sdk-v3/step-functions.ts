import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { sdkCall, sdkClientConfig } from './sdk-call';
import type { AwsClientOptions } from '../../../lambda-src/shared/aws/client';
import type { StepFunctions } from '../../../lambda-src/shared/aws/step-functions';

export function stepFunctions(options?: AwsClientOptions): StepFunctions {
  const client = new SFNClient(sdkClientConfig(options));
  return {
    sendTaskSuccess: (input, call) => sdkCall('states', 'SendTaskSuccess', options, call, async (abortSignal) => {
      await client.send(new SendTaskSuccessCommand(input), { abortSignal });
    }),
    sendTaskFailure: (input, call) => sdkCall('states', 'SendTaskFailure', options, call, async (abortSignal) => {
      await client.send(new SendTaskFailureCommand(input), { abortSignal });
    }),
  };
}
