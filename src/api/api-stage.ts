import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiThrottling, ApiTier } from './api-tier';
import type { AuthorizedApiProps } from './authorized-api-props';
import { pascal } from './construct-ids';

/** A `cacheable` route, which gets its own caching entry in every stage's method settings. */
export interface CachedRoute {
  readonly method: string;
  readonly path: string;
}

/** What one stage runs with: the API-wide props, overridden by `stageThrottling` and `stageSettings`. */
interface EffectiveStageSettings {
  readonly throttle: ApiThrottling;
  readonly loggingLevel: apigateway.MethodLoggingLevel;
  readonly metricsEnabled: boolean;
  readonly cached: boolean;
  readonly variables?: { [name: string]: string };
}

function effectiveSettings(props: AuthorizedApiProps, stageName: string): EffectiveStageSettings {
  const own = props.stageSettings?.[stageName] ?? {};
  return {
    throttle: props.stageThrottling?.[stageName] ?? props.throttling ?? { rateLimit: 100, burstLimit: 200 },
    loggingLevel: own.executionLogLevel ?? props.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR,
    metricsEnabled: own.detailedMetrics ?? props.detailedMetrics ?? false,
    cached: props.cache !== undefined && own.cacheEnabled !== false,
    variables: own.variables,
  };
}

/** Options of one stage: access logs, tracing, execution logging, variables, cache cluster and that stage's throttling. */
export function stageOptions(props: AuthorizedApiProps, stageName: string, accessLogGroup: logs.ILogGroup): apigateway.StageOptions {
  const stage = effectiveSettings(props, stageName);
  return {
    stageName,
    tracingEnabled: true,
    accessLogDestination: new apigateway.LogGroupLogDestination(accessLogGroup),
    accessLogFormat: accessLogFormat(),
    loggingLevel: stage.loggingLevel,
    dataTraceEnabled: false,
    metricsEnabled: stage.metricsEnabled,
    throttlingRateLimit: stage.throttle.rateLimit,
    throttlingBurstLimit: stage.throttle.burstLimit,
    variables: stage.variables,
    cacheClusterEnabled: stage.cached ? true : undefined,
    cacheClusterSize: stage.cached ? props.cache?.size ?? '0.5' : undefined,
  };
}

/**
 * Stage method settings: defaults for every method, then one entry per route that is cached
 * on this stage or has its own throttle (`routeThrottling`).
 */
export function methodSettings(props: AuthorizedApiProps, stageName: string,
  cachedRoutes: readonly CachedRoute[]): apigateway.CfnStage.MethodSettingProperty[] {
  const stage = effectiveSettings(props, stageName);
  const common = {
    loggingLevel: stage.loggingLevel,
    dataTraceEnabled: false,
    metricsEnabled: stage.metricsEnabled,
    throttlingRateLimit: stage.throttle.rateLimit,
    throttlingBurstLimit: stage.throttle.burstLimit,
    ...(stage.cached ? { cacheDataEncrypted: true } : {}),
  };
  const settings: apigateway.CfnStage.MethodSettingProperty[] = [{ resourcePath: '/*', httpMethod: '*', ...common, cachingEnabled: false }];
  const cached = new Set(stage.cached ? cachedRoutes.map((r) => `${r.method} ${r.path}`) : []);
  const routes = [...new Set([...cached, ...Object.keys(props.routeThrottling ?? {})])].sort();
  for (const route of routes) {
    const [method, path] = route.split(' ');
    const throttle = props.routeThrottling?.[route] ?? stage.throttle;
    settings.push({
      resourcePath: '/' + path.replace(/\//g, '~1'),
      httpMethod: method === 'ANY' ? '*' : method,
      ...common,
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
      cachingEnabled: cached.has(route),
      ...(cached.has(route) ? { cacheTtlInSeconds: (props.cache?.ttl ?? Duration.minutes(5)).toSeconds() } : {}),
    });
  }
  return settings;
}

/**
 * One usage plan per tier, each covering every stage, and (unless `tierKeys` is false: with
 * API key source AUTHORIZER the keys belong to tenants) one API key per tier.
 */
export function addTierUsagePlans(restApi: apigateway.RestApi, tiers: readonly ApiTier[], stages: readonly apigateway.Stage[], tierKeys = true):
{ usagePlans: apigateway.UsagePlan[]; apiKeys: apigateway.IApiKey[] } {
  const usagePlans: apigateway.UsagePlan[] = [];
  const apiKeys: apigateway.IApiKey[] = [];
  for (const tier of tiers) {
    const plan = restApi.addUsagePlan(`Tier${pascal(tier.name)}`, {
      name: `${restApi.restApiName}-${tier.name}`,
      throttle: { rateLimit: tier.rateLimit, burstLimit: tier.burstLimit },
      quota: tier.quotaPerDay !== undefined ? { limit: tier.quotaPerDay, period: apigateway.Period.DAY } : undefined,
      apiStages: stages.map((stage) => ({ api: restApi, stage })),
    });
    usagePlans.push(plan);
    if (!tierKeys) continue;
    const key = restApi.addApiKey(`Tier${pascal(tier.name)}Key`, { description: `API key of tier ${tier.name}` });
    plan.addApiKey(key);
    apiKeys.push(key);
  }
  return { usagePlans, apiKeys };
}

/** JSON access log line: request, caller (tenant from the authorizer context), outcome, latencies. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const f = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(JSON.stringify({
    requestId: f.contextRequestId(),
    extendedRequestId: f.contextExtendedRequestId(),
    requestTime: f.contextRequestTime(),
    stage: f.contextStage(),
    httpMethod: f.contextHttpMethod(),
    resourcePath: f.contextResourcePath(),
    status: f.contextStatus(),
    protocol: f.contextProtocol(),
    responseLength: f.contextResponseLength(),
    sourceIp: f.contextIdentitySourceIp(),
    principalId: f.contextAuthorizerPrincipalId(),
    tenantId: f.contextAuthorizer('tenantId'),
    authorizerStatus: '$context.authorizer.status',
    authorizerLatency: '$context.authorizer.integrationLatency',
    authorizerError: f.contextAuthorizerError(),
    apiKeyId: f.contextIdentityApiKeyId(),
    integrationLatency: f.contextIntegrationLatency(),
    responseLatency: f.contextResponseLatency(),
    errorMessage: f.contextErrorMessage(),
    wafStatus: '$context.waf.status',
    xrayTraceId: f.contextXrayTraceId(),
  }));
}
