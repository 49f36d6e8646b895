import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { ApiAuth } from './api-auth';
import { ApiTenant, ApiThrottling, ApiTier } from './api-tier';
import { LifecycleProps, ObservabilityProps } from '../core/shared-props';

/** The stage cache (API Gateway cache cluster), encrypted. */
export interface ApiCacheOptions {
  /** Time to live of cached responses (0-3600 s). @default Duration.minutes(5) */
  readonly ttl?: Duration;
  /** Cache cluster size in GB: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237. @default '0.5' */
  readonly size?: string;
}

/** A WAF web ACL in front of every stage. */
export interface ApiWafOptions {
  /** An existing REGIONAL web ACL to associate. @default - a new web ACL with a per-IP rate-based rule */
  readonly webAclArn?: string;
  /** Requests per 5 minutes per client IP before the new web ACL blocks (100-2000000000). @default 2000 */
  readonly rateLimitPer5Minutes?: number;
}

/** A custom domain name mapped to one stage. */
export interface ApiCustomDomainOptions {
  /** e.g. `api.example.com`. */
  readonly domainName: string;
  /** ACM certificate for the name (in the stack's region for a REGIONAL endpoint). */
  readonly certificate: acm.ICertificate;
  /** The stage served at the domain's root. @default - the last stage */
  readonly stage?: string;
  /**
   * Mutual TLS: callers must present a client certificate issued by a CA in this truststore
   * (a PEM bundle in S3). Needs a REGIONAL endpoint; pair it with `disableExecuteApiEndpoint`,
   * or clients can bypass mutual TLS through the default `execute-api` endpoint.
   * @default - no mutual TLS
   */
  readonly mtls?: apigateway.MTLSConfig;
}

/**
 * Settings of one stage that differ from the API-wide ones (see `stageSettings`). Throttling
 * per stage stays in `stageThrottling`.
 */
export interface ApiStageSettings {
  /**
   * Stage variables, read by integrations and mapping templates as `${stageVariables.<name>}`
   * (names: letters, digits, `_`; values: letters, digits and `-._~:/?#&=,`).
   * @default - no stage variables
   */
  readonly variables?: { [name: string]: string };
  /**
   * Whether this stage runs the cache cluster (needs the `cache` prop). A stage without it
   * serves `cacheable` routes from the integration, and costs nothing per hour for caching.
   * @default - true when the `cache` prop is set
   */
  readonly cacheEnabled?: boolean;
  /** Execution logging level of this stage (see `executionLogLevel`). @default - the API's `executionLogLevel` */
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;
  /** Per-method CloudWatch metrics on this stage (billed per metric). @default - the API's `detailedMetrics` */
  readonly detailedMetrics?: boolean;
}

/**
 * Properties of an {@link AuthorizedApi}. `encryptionKey` encrypts the access log group and the
 * authorizer's log group (by default a new key; an imported key's policy must allow CloudWatch Logs).
 */
export interface AuthorizedApiProps extends ObservabilityProps, LifecycleProps {
  /** How callers authenticate: `ApiAuth.jwt(...)`, `ApiAuth.cognito(pool)` or `ApiAuth.apiKeyOnly()`. */
  readonly auth: ApiAuth;
  /** @default - the construct path */
  readonly apiName?: string;
  /** @default - none */
  readonly description?: string;
  /** Stage names (letters, digits, `_`), all deployed from one deployment. @default ['prod'] */
  readonly stages?: string[];
  /** Stage-level throttling applied to every stage. @default { rateLimit: 100, burstLimit: 200 } */
  readonly throttling?: ApiThrottling;
  /** Per-stage throttling overrides, keyed by stage name. @default - `throttling` everywhere */
  readonly stageThrottling?: { [stage: string]: ApiThrottling };
  /**
   * Per-route throttling on every stage, keyed `'<METHOD> <path>'` exactly as given to
   * `addRoute`/`addPublicRoute`, e.g. `{ 'POST /orders': { rateLimit: 5, burstLimit: 10 } }`.
   * It replaces the stage's throttle for that route (a method setting); account-level limits
   * still apply. Every key must name a route of the API (checked at synthesis).
   * @default - every route runs with its stage's throttle
   */
  readonly routeThrottling?: { [route: string]: ApiThrottling };
  /**
   * Per-stage settings, keyed by stage name: stage variables, whether the stage runs the
   * cache cluster, its execution logging level and detailed metrics.
   * @default - the API-wide settings on every stage, no stage variables
   */
  readonly stageSettings?: { [stage: string]: ApiStageSettings };
  /** Stage cache for `cacheable` routes, encrypted at rest (every stage unless `stageSettings` turns it off). @default - no cache cluster */
  readonly cache?: ApiCacheOptions;
  /**
   * Usage-plan tiers; when given, every route requires an API key. With `apiKeySource`
   * `HEADER` each tier has one API key that callers send in `x-api-key`; with `AUTHORIZER`
   * tiers have no key of their own and each of `tenants` gets one.
   * @default - none
   */
  readonly tiers?: ApiTier[];
  /**
   * Where API Gateway takes the key that meters a request against a usage plan.
   * `HEADER`: callers send `x-api-key` (one key per tier). `AUTHORIZER`: the authorizer
   * returns the caller's tenant key as `usageIdentifierKey`, so the plan follows the tenant
   * of the verified credential and a caller cannot choose another tenant's plan (its
   * `x-api-key` header is ignored). Needs a token-verifying `auth` and at least one tier.
   * @default apigateway.ApiKeySourceType.HEADER
   */
  readonly apiKeySource?: apigateway.ApiKeySourceType;
  /**
   * Tenants with their own API key in their tier's usage plan (needs `apiKeySource:
   * AUTHORIZER`). A credential whose tenant has no key is denied (403, reason
   * `unknown_tenant`). At most 10,000 (API keys per account and region).
   * @default - none; add tenants later with `addTenant`
   */
  readonly tenants?: ApiTenant[];
  /**
   * How long the authorizer keeps a tenant's key value in memory after reading it with
   * `apigateway:GET` (1 minute to 24 hours). A stale value keeps being used while a
   * refresh fails.
   * @default Duration.hours(1)
   */
  readonly tenantKeyCacheTtl?: Duration;
  /**
   * Turn off the default `execute-api` endpoint so callers can only use `customDomain`
   * (and its mutual TLS). Needs `customDomain`.
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
  /**
   * How long API Gateway caches the authorizer's decision per token (0-3600 s). When > 0 the
   * authorizer returns a policy covering every route the token's scopes allow, so the cached
   * decision is right for every route. 0 disables caching (one Lambda call per request).
   * @default Duration.minutes(5)
   */
  readonly authorizerCacheTtl?: Duration;
  /** @default EndpointType.REGIONAL */
  readonly endpointType?: apigateway.EndpointType;
  /** CORS preflight for every resource. @default - no CORS */
  readonly cors?: apigateway.CorsOptions;
  /**
   * Execution logging level. Execution logs need the account-level API Gateway CloudWatch
   * role (`AWS::ApiGateway::Account`): when the account has none, stage creation fails;
   * set `cloudWatchRole: true` or use `MethodLoggingLevel.OFF`.
   * @default MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;
  /**
   * Create the account-wide API Gateway CloudWatch role. It is a per-region singleton that
   * other stacks may own: creating it here overwrites theirs.
   * @default false
   */
  readonly cloudWatchRole?: boolean;
  /** Per-method CloudWatch metrics (billed per metric). @default false */
  readonly detailedMetrics?: boolean;
  /** WAF web ACL association. @default - none */
  readonly waf?: ApiWafOptions;
  /** Custom domain. @default - none */
  readonly customDomain?: ApiCustomDomainOptions;
  /** 5XX rate (fraction of requests, per 5 minutes) that alarms. @default 0.05 */
  readonly serverErrorRateThreshold?: number;
  /** p99 latency that alarms. @default Duration.seconds(3) */
  readonly latencyP99Threshold?: Duration;
}

