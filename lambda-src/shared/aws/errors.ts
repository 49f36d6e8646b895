/**
 * How a failed AWS call ended: `refused` when the service answered with a definite no
 * (a failed condition, a missing resource, a validation error), `throttled` when it asked
 * the caller to slow down, `failed` when there was no usable answer (5xx, network error,
 * deadline passed). Only `refused` says something about the request itself.
 */
export type AwsFailureKind = 'refused' | 'throttled' | 'failed';

/** Every error of an AWS call made through lambda-src/shared/aws, whatever client made it. */
export class AwsServiceError extends Error {
  constructor(
    /** The service as signed, e.g. `dynamodb`, `states`. */
    public readonly service: string,
    public readonly operation: string,
    /** The AWS error code without namespace, e.g. `ConditionalCheckFailedException`. */
    public readonly code: string,
    public readonly kind: AwsFailureKind,
    public readonly statusCode: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}.${operation} failed: ${code}${message ? `: ${message}` : ''}`, options);
    this.name = code;
  }
}

/** The codes AWS services use for throttling (the SDKs' list), whatever the HTTP status. */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException',
  'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` and `Code:http://...` become the bare code. */
export function bareErrorCode(raw: string): string {
  const first = raw.split(',')[0].split(':')[0].trim();
  return first.slice(first.indexOf('#') + 1);
}

/** Classify an error answer (or the lack of one: no status code). */
export function failureKind(code: string, statusCode: number | undefined): AwsFailureKind {
  if (statusCode === 429 || THROTTLING_CODES.has(code)) return 'throttled';
  if (statusCode === undefined || statusCode >= 500) return 'failed';
  return 'refused';
}

/**
 * Whether `error` is an AWS error answer with one of `codes`: the one place handlers ask
 * which error a call ended with (`ConditionalCheckFailedException`, `TaskTimedOut`, ...).
 */
export function isAwsError(error: unknown, ...codes: string[]): error is AwsServiceError {
  return error instanceof AwsServiceError && (codes.length === 0 || codes.includes(error.code));
}
