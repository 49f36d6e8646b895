import { AwsClientOptions, awsService, CallOptions } from './client';

export interface InvokeInput {
  readonly FunctionName: string;
  readonly InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** The event, as JSON bytes. */
  readonly Payload?: Uint8Array | string;
}

export interface InvokeOutput {
  readonly StatusCode: number;
  /** Set when the function threw (`Unhandled`, `Handled`): Payload then describes the error. */
  readonly FunctionError?: string;
  /** What the function returned, as JSON bytes. */
  readonly Payload?: Uint8Array;
}

/** Invoking functions. Errors of the Invoke API itself are AwsServiceError. */
export interface Lambda {
  invoke(input: InvokeInput, options?: CallOptions): Promise<InvokeOutput>;
}

/** The Lambda Invoke API (REST JSON); payloads pass through as bytes, untouched. */
export function lambda(options?: AwsClientOptions): Lambda {
  const send = awsService('lambda', 'raw', options);
  return {
    async invoke(input, o) {
      const response = await send({
        operation: 'Invoke',
        path: `/2015-03-31/functions/${encodeURIComponent(input.FunctionName)}/invocations`,
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': input.InvocationType ?? 'RequestResponse' },
        body: input.Payload === undefined ? '' : Buffer.from(input.Payload),
      }, o);
      const payload = response.payload;
      return {
        StatusCode: response.statusCode,
        FunctionError: response.headers['x-amz-function-error'],
        Payload: Buffer.isBuffer(payload) && payload.length > 0 ? new Uint8Array(payload) : undefined,
      };
    },
  };
}
