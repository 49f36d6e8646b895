import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What a {@link CircuitBreakerFunction} protects: an HTTP(S) endpoint or a Lambda function.
 */
export class CircuitTarget {
  /**
   * An HTTP(S) endpoint. API Gateway and function URL events keep their method, path,
   * query string, headers and body (the path, which must start with `/`, is appended to
   * `url` percent-encoded, and may not leave its origin or climb above its path); any
   * other event is POSTed to `url` as JSON. Redirects are returned, not followed. 5xx,
   * 408 and 429 answers, network errors and timeouts count as failures; other 4xx
   * answers are passed through and do not, and a request that cannot be sent at all is
   * answered with 400 without reaching the target or counting.
   *
   * @param url base URL, e.g. `http://inventory.internal:8080`
   */
  public static http(url: string): CircuitTarget {
    return new CircuitTarget('http', url, undefined);
  }

  /**
   * A Lambda function, invoked synchronously with the event as payload. A function error
   * (it threw), throttling, a timeout, or a returned `statusCode` of 5xx/408/429 count as
   * failures. The breaker may invoke exactly this function ARN, nothing else.
   */
  public static lambda(fn: lambda.IFunction): CircuitTarget {
    return new CircuitTarget('lambda', undefined, fn);
  }

  /** `http` or `lambda`. */
  public readonly kind: string;
  /** The base URL of an HTTP target. */
  public readonly url?: string;
  /** The function of a Lambda target. */
  public readonly targetFunction?: lambda.IFunction;

  private constructor(kind: string, url: string | undefined, targetFunction: lambda.IFunction | undefined) {
    this.kind = kind;
    this.url = url;
    this.targetFunction = targetFunction;
  }
}
