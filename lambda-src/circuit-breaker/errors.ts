import { HandlerError } from '../shared/errors';

/** The circuit refused the call (OPEN, FORCED_OPEN, or HALF_OPEN without a probe permit) and there is no fallback. */
export class CircuitOpenError extends HandlerError {
  constructor(public readonly circuit: string, public readonly reason: string, public readonly retryAfterMs: number) {
    super('CIRCUIT_OPEN', `circuit '${circuit}' is open (${reason}); retry after ${retryAfterMs} ms`, true);
  }
}

/** The protected call did not finish within its effective timeout and there is no fallback. */
export class CircuitTimeoutError extends HandlerError {
  constructor(public readonly circuit: string, public readonly timeoutMs: number) {
    super('CIRCUIT_CALL_TIMEOUT', `call through circuit '${circuit}' timed out after ${timeoutMs} ms`, true);
  }
}

/** This environment already runs `maxConcurrent` calls (only reachable with multi-concurrency runtimes). */
export class BulkheadFullError extends HandlerError {
  constructor(public readonly circuit: string, public readonly maxConcurrent: number) {
    super('CIRCUIT_BULKHEAD_FULL', `circuit '${circuit}' is at its limit of ${maxConcurrent} concurrent calls`, true);
  }
}

/** The fallback itself failed; `original` is why the fallback was needed. */
export class FallbackError extends HandlerError {
  constructor(public readonly circuit: string, cause: unknown, public readonly original: unknown) {
    super('CIRCUIT_FALLBACK_FAILED', `fallback of circuit '${circuit}' failed: ${describeError(cause)}`, false, { cause });
  }
}

/** Invalid settings, detected at init. */
export class CircuitConfigError extends HandlerError {
  constructor(message: string) {
    super('CIRCUIT_CONFIG', message, false);
  }
}

/** The target Lambda function raised an error (its FunctionError payload is kept in `payload`). */
export class TargetFunctionError extends HandlerError {
  constructor(public readonly functionError: string, public readonly payload: unknown) {
    super('CIRCUIT_TARGET_ERROR', `target function failed (${functionError}): ${describeError(payload)}`, true);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (error && typeof error === 'object' && 'errorMessage' in error) return String((error as { errorMessage: unknown }).errorMessage);
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
