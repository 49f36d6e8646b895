import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Authorizer } from './authorizer';
import { answerHttpV2, answerRest, AuthorizerEvent, DecisionRecord, HttpSimpleResponse, isHttpApiV2, Outcome, RestAuthorizerResponse } from './events';
import { AUTHORIZER_SETTINGS_VARIABLE, AuthorizerSettingsDocument, parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import { createHandler, fingerprint, HandlerTools, JsonConfig } from '../shared';

// Wiring only: settings from one JSON env var (checked at init), the decision logic in
// authorizer.ts / events.ts, one log line and one metrics document per decision.
const authorizer = new Authorizer(parseAuthorizerSettings(JsonConfig.fromEnvironment<AuthorizerSettingsDocument>(AUTHORIZER_SETTINGS_VARIABLE)));
/** API Gateway's answer for "no valid credential" (401); an answer, not a failure. */
const UNAUTHORIZED = 'Unauthorized';

export const handler = createHandler<AuthorizerEvent, RestAuthorizerResponse | HttpSimpleResponse>('authorizer', (tools) => async (event) => {
  const { logger, metrics } = tools;
  const started = performance.now();
  const fetchesBefore = authorizer.jwks.stats.fetches;
  const errorsBefore = authorizer.jwks.stats.fetchErrors;
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
  if (outcome.unauthorized || !outcome.response) throw new Error(UNAUTHORIZED);
  return outcome.response;
}, (error) => (error as Error)?.message === UNAUTHORIZED);

function record(
  { logger, metrics }: HandlerTools, r: DecisionRecord, credential: string | undefined, ms: number, fetches: number, fetchErrors: number,
): void {
  const line = { ...r, tokenFp: credential ? fingerprint(credential) : undefined, verifyMs: Math.round(ms * 1000) / 1000 };
  if (r.reason === 'jwks_unavailable' || r.reason === 'internal_error') logger.warn('authorization decision', line);
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
