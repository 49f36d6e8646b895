import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Authorizer } from './authorizer';
import { answerHttpV2, answerRest, AuthorizerEvent, DecisionRecord, HttpSimpleResponse, isHttpApiV2, Outcome, RestAuthorizerResponse } from './events';
import type { UsageKeyReader } from './usage-keys';
import { AUTHORIZER_SETTINGS_VARIABLE, AuthorizerSettingsDocument, parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import { createHandler, fingerprint, HandlerTools, JsonConfig } from '../shared';

// Wiring only: settings from one JSON env var (checked at init), the decision logic in
// authorizer.ts / events.ts, one log line and one metrics document per decision.
const settings = parseAuthorizerSettings(JsonConfig.fromEnvironment<AuthorizerSettingsDocument>(AUTHORIZER_SETTINGS_VARIABLE));
const authorizer = new Authorizer(settings, { readUsageKey: settings.usageKeys ? usageKeyReader() : undefined });
const FUNCTION_NAME = process.env.AWS_LAMBDA_FUNCTION_NAME;
/** API Gateway's answer for "no valid credential" (401); an answer, not a failure. */
const UNAUTHORIZED = 'Unauthorized';

export const handler = createHandler<AuthorizerEvent, RestAuthorizerResponse | HttpSimpleResponse>('authorizer', (tools) => async (event) => {
  const { logger, metrics } = tools;
  const started = performance.now();
  const fetchesBefore = authorizer.jwks.stats.fetches;
  const errorsBefore = authorizer.jwks.stats.fetchErrors;
  const usageStats = authorizer.usageKeys?.stats;
  const lookupsBefore = usageStats?.lookups ?? 0;
  const lookupErrorsBefore = usageStats?.errors ?? 0;
  let outcome: Outcome<RestAuthorizerResponse | HttpSimpleResponse>;
  const http = typeof event === 'object' && event !== null && isHttpApiV2(event);
  try {
    outcome = http ? await answerHttpV2(authorizer, event) : await answerRest(authorizer, event as Exclude<AuthorizerEvent, { version: '2.0' }>);
  } catch (err) {
    // A bug must never become an allow: REST gets 401, HTTP APIs isAuthorized:false.
    logger.error('authorizer failed', { errorName: (err as Error)?.name, errorMessage: String((err as Error)?.message).slice(0, 200) });
    metrics.addMetric('AuthorizerErrors', MetricUnit.Count, 1);
    if (http) return { isAuthorized: false };
    throw new Error(UNAUTHORIZED);
  }
  const { fetches, fetchErrors } = authorizer.jwks.stats;
  record(tools, outcome.record, outcome.credential, performance.now() - started, fetches - fetchesBefore, fetchErrors - errorsBefore);
  if (usageStats) recordUsageKeyLookups(tools, usageStats.lookups - lookupsBefore, usageStats.errors - lookupErrorsBefore, usageStats.lastError);
  if (outcome.unauthorized || !outcome.response) throw new Error(UNAUTHORIZED);
  return outcome.response;
}, (error) => (error as Error)?.message === UNAUTHORIZED);

function record(
  { logger, metrics }: HandlerTools, r: DecisionRecord, credential: string | undefined, ms: number, fetches: number, fetchErrors: number,
): void {
  const line = { ...r, tokenFp: credential ? fingerprint(credential) : undefined, verifyMs: Math.round(ms * 1000) / 1000 };
  if (r.reason === 'jwks_unavailable' || r.reason === 'internal_error' || r.reason === 'usage_key_unavailable') logger.warn('authorization decision', line);
  else logger.info('authorization decision', line);
  metrics.addMetric('Decisions', MetricUnit.Count, 1);
  if (r.decision === 'unauthorized') metrics.addMetric('Unauthorized', MetricUnit.Count, 1);
  if (r.decision === 'deny') metrics.addMetric('Forbidden', MetricUnit.Count, 1);
  if (r.reason === 'internal_error') metrics.addMetric('AuthorizerErrors', MetricUnit.Count, 1);
  if (r.cache === 'hit') metrics.addMetric('TokenCacheHits', MetricUnit.Count, 1);
  if (r.cache === 'miss') metrics.addMetric('TokenCacheMisses', MetricUnit.Count, 1);
  if (fetches > 0) metrics.addMetric('JwksFetches', MetricUnit.Count, fetches);
  if (fetchErrors > 0) metrics.addMetric('JwksFetchErrors', MetricUnit.Count, fetchErrors);
  metrics.addMetric('VerifyLatency', MetricUnit.Milliseconds, ms);
}

/** Usage-key reads of this invocation (API key source AUTHORIZER). A failure names the key id, never a value. */
function recordUsageKeyLookups(
  { logger, metrics }: HandlerTools, lookups: number, errors: number, lastError: { apiKeyId: string; name: string; message: string } | undefined,
): void {
  // Per function (one API), unlike the decision metrics: the construct alarms on this API's errors.
  const perFunction = (name: string, value: number) => {
    const single = metrics.singleMetric();
    if (FUNCTION_NAME) single.addDimension('function_name', FUNCTION_NAME);
    single.addMetric(name, MetricUnit.Count, value);
  };
  if (lookups > 0) perFunction('UsageKeyLookups', lookups);
  if (errors > 0) {
    perFunction('UsageKeyErrors', errors);
    logger.warn('usage key lookup failed', { apiKeyId: lastError?.apiKeyId, errorName: lastError?.name, errorMessage: lastError?.message });
  }
}

/**
 * GetApiKey through the API Gateway client. Loaded only when tenants are configured: the AWS
 * client costs init time that an authorizer without usage keys would pay for nothing.
 */
function usageKeyReader(): UsageKeyReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { apiGateway } = require('../shared/aws/apigateway') as typeof import('../shared/aws/apigateway');
  // well inside the function's 5 s timeout, retries included
  const client = apiGateway({ timeoutMs: 2_000 });
  return async (apiKeyId) => (await client.getApiKey(apiKeyId)).value;
}
