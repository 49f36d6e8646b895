import * as lambda from 'aws-cdk-lib/aws-lambda';

/** A fixed answer served while the circuit is open or when the target fails. */
export interface StaticResponseOptions {
  /** HTTP status code of the answer (100-599). */
  readonly statusCode: number;
  /** Body of the answer, e.g. `'{"items":[]}'` (at most 2 048 characters: it travels in an environment variable). */
  readonly body: string;
  /**
   * Headers of the answer.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
}

/**
 * What a {@link CircuitBreakerFunction} answers instead of the target: when the circuit
 * refuses the call (open, forced open, no half-open permit), when the call times out, and
 * (unless `fallbackOnFailure` is false) when the call fails.
 */
export class Fallback {
  /** Answer with a fixed API Gateway-style response `{statusCode, headers, body}`. */
  public static staticResponse(options: StaticResponseOptions): Fallback {
    return new Fallback('static', options, undefined);
  }

  /**
   * Invoke a function synchronously with `{request, reason, circuit: {name, state,
   * retryAfterMs}, error?, result?}` and answer with what it returns. If it fails too, the
   * caller gets the error `CIRCUIT_FALLBACK_FAILED`.
   */
  public static lambda(fn: lambda.IFunction): Fallback {
    return new Fallback('lambda', undefined, fn);
  }

  /** `static` or `lambda`. */
  public readonly kind: string;
  /** The answer of a static fallback. */
  public readonly response?: StaticResponseOptions;
  /** The function of a Lambda fallback. */
  public readonly fallbackFunction?: lambda.IFunction;

  private constructor(kind: string, staticResponse: StaticResponseOptions | undefined, fallbackFunction: lambda.IFunction | undefined) {
    this.kind = kind;
    this.response = staticResponse;
    this.fallbackFunction = fallbackFunction;
  }
}
