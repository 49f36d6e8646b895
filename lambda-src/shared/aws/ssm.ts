import { AwsClientOptions, awsJsonService, CallOptions } from './client';

export interface GetParameterInput {
  readonly Name: string;
  readonly WithDecryption?: boolean;
}

export interface GetParameterOutput {
  readonly Parameter?: { readonly Name?: string; readonly Value?: string; readonly Version?: number };
}

/** The Parameter Store reads the handlers use. Errors are AwsServiceError. */
export interface Ssm {
  getParameter(input: GetParameterInput, options?: CallOptions): Promise<GetParameterOutput>;
}

/** Systems Manager over its AWS JSON 1.1 protocol. */
export function ssm(options?: AwsClientOptions): Ssm {
  const call = awsJsonService('ssm', 'AmazonSSM', '1.1', options);
  return {
    getParameter: (input, o) => call<GetParameterOutput>('GetParameter', input, o),
  };
}
