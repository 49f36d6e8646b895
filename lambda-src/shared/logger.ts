import { Logger } from '@aws-lambda-powertools/logger';
import { redactSecrets } from './fingerprint';

/**
 * A Powertools Logger writing structured JSON to stdout. The level comes from
 * `POWERTOOLS_LOG_LEVEL` or the function's `AWS_LAMBDA_LOG_LEVEL` (set by the construct's
 * logging config). Secrets under well-known keys are replaced by their fingerprint in
 * every record, however deeply nested, so a handler that logs a header map or an error
 * carrying a token cannot leak it.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, jsonReplacerFn: redactSecrets });
}
