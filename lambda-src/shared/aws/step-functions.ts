import { AwsClientOptions, awsJsonService, CallOptions } from './client';

// Step Functions has no aws-lite plugin: its AWS JSON 1.0 operations are called in the
// client's raw request form.

export interface SendTaskSuccessInput {
  readonly taskToken: string;
  /** JSON text. */
  readonly output: string;
}

export interface SendTaskFailureInput {
  readonly taskToken: string;
  readonly error?: string;
  readonly cause?: string;
}

/** The task-token callbacks. Errors are AwsServiceError (`TaskTimedOut`, `TaskDoesNotExist`, `InvalidToken`, ...). */
export interface StepFunctions {
  sendTaskSuccess(input: SendTaskSuccessInput, options?: CallOptions): Promise<void>;
  sendTaskFailure(input: SendTaskFailureInput, options?: CallOptions): Promise<void>;
}

export function stepFunctions(options?: AwsClientOptions): StepFunctions {
  const call = awsJsonService('states', 'AWSStepFunctions', '1.0', options);
  return {
    sendTaskSuccess: async (input, o) => {
      await call('SendTaskSuccess', input, o);
    },
    sendTaskFailure: async (input, o) => {
      await call('SendTaskFailure', input, o);
    },
  };
}
