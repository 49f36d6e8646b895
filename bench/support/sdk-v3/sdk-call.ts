import type { AwsClientOptions, CallOptions } from '../../../lambda-src/shared/aws/client';
import { AwsServiceError, failureKind } from '../../../lambda-src/shared/aws/errors';

// AWS SDK v3 behind the handlers' client interfaces (lambda-src/shared/aws), so that
// bench/init-time can build the very same handler code with SDK v3 instead of aws-lite.
// Bench-only: no shipped bundle contains this.

/** The SDK client settings equivalent to `options` (the SDK reads AWS_ENDPOINT_URL_* itself). */
export function sdkClientConfig(options: AwsClientOptions = {}) {
  return { endpoint: options.endpoint, region: options.region, credentials: options.credentials, maxAttempts: options.maxAttempts ?? 3 };
}

/** One SDK call under the same deadline and with the same error type as the aws-lite client. */
export async function sdkCall<T>(
  service: string, operation: string, options: AwsClientOptions = {}, call: CallOptions = {}, send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 5_000);
  const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
  try {
    return await send(signal);
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const code = e.name ?? 'Error';
    const status = e.$metadata?.httpStatusCode;
    throw new AwsServiceError(service, operation, code, failureKind(code, status), status, e.message ?? '', { cause: error });
  }
}
