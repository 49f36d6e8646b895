import { CallOutcome } from './invoke';
import { ProtectedCall } from './types';

/**
 * Whether a finished call counts as failed: a timeout always does; a thrown error is judged
 * by the call's own `isFailureError` (default {@link isFailureError}), a returned value by
 * its `isFailureResult` (none: a value is a success).
 */
export function isFailedOutcome<R>(call: ProtectedCall<R>, outcome: CallOutcome<R>): boolean {
  return outcome.timedOut || (outcome.threw ? (call.isFailureError ?? isFailureError)(outcome.error)
    : call.isFailureResult?.(outcome.result as R) ?? false);
}

/**
 * Whether a thrown error says the downstream is unhealthy: network errors, aborts and
 * timeouts, and AWS SDK errors that are server faults or retryable (throttling). Client
 * faults (bad request, not found, access denied) are the caller's problem and do not count.
 */
export function isFailureError(error: unknown): boolean {
  const e = error as { $fault?: string; $retryable?: unknown; statusCode?: number } | undefined;
  if (e && typeof e === 'object') {
    if (e.$retryable) return true;
    if (e.$fault === 'client') return false;
    if (typeof e.statusCode === 'number') return isFailureStatus(e.statusCode);
  }
  return true;
}

/** HTTP statuses that count as failures: 5xx, 429 (throttled) and 408 (request timeout). Other 4xx are not. */
export function isFailureStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}
