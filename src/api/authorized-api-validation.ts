import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ApiAuth, ApiAuthMode } from './api-auth';
import { BaseRouteOptions, PublicRouteOptions, RouteOptions } from './api-route';
import { ApiTenant, ApiThrottling, ApiTier } from './api-tier';
import type { AuthorizedApiProps } from './authorized-api-props';
import { ambiguousRoutePairs, maxRoutePolicyBytes, RouteRule } from './route-policy';
import { PropsValidator } from '../core/validation';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const STAGE_NAME = /^[A-Za-z0-9_]{1,128}$/;
const ROUTE_KEY = new RegExp(`^(${HTTP_METHODS.join('|')}) \\/\\S*$`);
const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const STAGE_VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]{1,512}$/;
const TIER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TENANT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** API keys per account and region, a quota AWS does not raise: one key per tenant. */
export const MAX_TENANTS = 10_000;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/;
const PATH = /^\/$|^(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\}|\{[A-Za-z0-9_]+\+\}))+$/;
/** API Gateway's limit on a Lambda authorizer's policy is 8 KiB; keep the whole policy under it. */
const MAX_POLICY_BYTES = 8192;
/** `arn:aws-us-gov:execute-api:` + longest region + account + api id, as the runtime sees them. */
const ARN_PREFIX_FIXED_CHARS = 'arn:aws-us-gov:execute-api:'.length + 16 + 1 + 12 + 1 + 10 + 1 + 1;

/** Checks the construction props; throws listing every problem. */
export function validateProps(scope: Construct, props: AuthorizedApiProps, stages: string[]): void {
  const v = new PropsValidator(scope, 'AuthorizedApi');
  v.check(stages.length > 0, 'stages', 'must name at least one stage', '[]');
  for (const s of stages) v.matches('stages', s, STAGE_NAME, 'letters, digits or _ (1-128 characters)');
  v.check(new Set(stages).size === stages.length, 'stages', 'must not repeat a name', stages.join(','));
  const throttle = (prop: string, t: ApiThrottling | undefined) => {
    if (!t) return;
    v.inRange(`${prop}.rateLimit`, t.rateLimit, 0.001, 10000);
    v.integerInRange(`${prop}.burstLimit`, t.burstLimit, 0, 5000);
  };
  throttle('throttling', props.throttling);
  for (const [stage, t] of Object.entries(props.stageThrottling ?? {})) {
    v.check(stages.includes(stage), 'stageThrottling', `must only name stages of the API (${stages.join(', ')})`, stage);
    throttle(`stageThrottling.${stage}`, t);
  }
  for (const [route, t] of Object.entries(props.routeThrottling ?? {})) {
    v.matches('routeThrottling', route, ROUTE_KEY, "'<METHOD> <path>' as given to addRoute, e.g. 'POST /orders'");
    throttle(`routeThrottling['${route}']`, t);
  }
  for (const [stage, settings] of Object.entries(props.stageSettings ?? {})) {
    v.check(stages.includes(stage), 'stageSettings', `must only name stages of the API (${stages.join(', ')})`, stage);
    if (settings.cacheEnabled && !props.cache) v.fail(`stageSettings.${stage}.cacheEnabled`, 'needs the cache prop (size and TTL of the cache cluster)', true);
    for (const [name, value] of Object.entries(settings.variables ?? {})) {
      v.matches(`stageSettings.${stage}.variables`, name, STAGE_VARIABLE_NAME, 'a name of letters, digits or _ (1-64 characters)');
      v.matches(`stageSettings.${stage}.variables.${name}`, value, STAGE_VARIABLE_VALUE, 'letters, digits and -._~:/?#&=, (1-512 characters)');
    }
  }
  if (props.cache) {
    v.durationInRange('cache.ttl', props.cache.ttl, Duration.seconds(0), Duration.hours(1));
    v.oneOf('cache.size', props.cache.size, CACHE_SIZES);
  }
  v.durationInRange('authorizerCacheTtl', props.authorizerCacheTtl, Duration.seconds(0), Duration.hours(1));
  const tiers = props.tiers ?? [];
  for (const t of tiers) {
    v.matches('tiers.name', t.name, TIER_NAME, 'letters, digits, - or _ (1-64 characters)');
    v.inRange(`tiers[${t.name}].rateLimit`, t.rateLimit, 0.001, 10000);
    v.integerInRange(`tiers[${t.name}].burstLimit`, t.burstLimit, 0, 5000);
    v.integerInRange(`tiers[${t.name}].quotaPerDay`, t.quotaPerDay, 1, 2_000_000_000);
  }
  v.check(new Set(tiers.map((t) => t.name)).size === tiers.length, 'tiers', 'must not repeat a tier name', tiers.map((t) => t.name).join(','));
  if (props.auth.mode === ApiAuthMode.API_KEY_ONLY) {
    v.check(tiers.length > 0, 'tiers', 'must hold at least one tier with ApiAuth.apiKeyOnly() (API keys only work through usage plans)', '[]');
  }
  const token = props.auth.tokenOptions;
  if (token) {
    v.durationInRange('auth.clockTolerance', token.clockTolerance, Duration.seconds(0), Duration.minutes(5));
    v.matches('auth.fixedTenantId', token.fixedTenantId, /^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, . _ : - (1-128 characters)');
    const ids = new Set<string>();
    for (const c of token.apiKeyClients ?? []) {
      v.matches('auth.apiKeyClients.keySha256', c.keySha256, /^[0-9a-f]{64}$/, '64 lower-case hex characters (the SHA-256 of the key, never the key)');
      v.matches('auth.apiKeyClients.tenantId', c.tenantId, /^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, . _ : - (1-128 characters)');
      v.check(!ids.has(c.id), 'auth.apiKeyClients.id', 'must be unique', c.id);
      ids.add(c.id);
    }
  }
  const cognitoOptions = props.auth.mode === ApiAuthMode.COGNITO ? props.auth.cognitoOptions ?? {} : undefined;
  if (cognitoOptions) {
    const clients = cognitoOptions.userPoolClients ?? [];
    if (cognitoOptions.allowAnyClient && clients.length > 0) {
      v.fail('auth.allowAnyClient', 'cannot be combined with auth.userPoolClients (list the clients, or accept every client of the pool)', true);
    }
    v.check(clients.length > 0 || cognitoOptions.allowAnyClient === true, 'auth.userPoolClients',
      'must list the app clients whose tokens are accepted (or set auth.allowAnyClient: true to accept every client of the pool)', []);
  }
  const jwt = props.auth.jwtProps;
  if (jwt) {
    v.matches('auth.issuer', jwt.issuer, /^https:\/\/\S+$/, 'an https URL');
    v.check(jwt.audience.length > 0, 'auth.audience', 'must hold at least one audience', '[]');
    v.matches('auth.jwksUri', jwt.jwksUri, /^https:\/\/\S+$/, 'an https URL (aws-jwt-verify fetches keys over HTTPS only)');
    for (const a of jwt.algorithms ?? []) v.oneOf('auth.algorithms', a, ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);
    if (jwt.jwks !== undefined && !Token.isUnresolved(jwt.jwks)) {
      let ok = false;
      try {
        const parsed = JSON.parse(jwt.jwks);
        ok = Array.isArray(parsed?.keys) && parsed.keys.every((k: { kid?: unknown; kty?: unknown; d?: unknown }) =>
          typeof k.kid === 'string' && typeof k.kty === 'string' && k.d === undefined);
      } catch {
        ok = false;
      }
      v.check(ok, 'auth.jwks', 'must be a JWKS JSON document of public keys, each with kid and kty', jwt.jwks.slice(0, 60));
    }
  }
  checkTenancy(v, props, tiers);
  if (props.waf) v.integerInRange('waf.rateLimitPer5Minutes', props.waf.rateLimitPer5Minutes, 100, 2_000_000_000);
  if (props.customDomain?.stage !== undefined) {
    v.check(stages.includes(props.customDomain.stage), 'customDomain.stage', `must be one of the stages (${stages.join(', ')})`, props.customDomain.stage);
  }
  v.inRange('serverErrorRateThreshold', props.serverErrorRateThreshold, 0.0001, 1);
  v.durationInRange('latencyP99Threshold', props.latencyP99Threshold, Duration.millis(10), Duration.seconds(29));
  v.throwIfInvalid();
}

/** API key source, tenants, their key cache, mutual TLS and the execute-api switch. */
function checkTenancy(v: PropsValidator, props: AuthorizedApiProps, tiers: readonly ApiTier[]): void {
  const source = props.apiKeySource ?? apigateway.ApiKeySourceType.HEADER;
  v.oneOf('apiKeySource', source, [apigateway.ApiKeySourceType.HEADER, apigateway.ApiKeySourceType.AUTHORIZER]);
  const tenants = props.tenants ?? [];
  if (source === apigateway.ApiKeySourceType.AUTHORIZER) {
    if (props.auth.mode === ApiAuthMode.API_KEY_ONLY) {
      v.fail('apiKeySource', 'cannot be AUTHORIZER with ApiAuth.apiKeyOnly(): there is no authorizer to return the usage key ' +
        '(use ApiAuth.jwt or ApiAuth.cognito, or apiKeySource HEADER)', source);
    }
    v.check(tiers.length > 0, 'apiKeySource', 'AUTHORIZER needs at least one tier in tiers (each tenant key joins its tier\'s usage plan)', source);
  } else if (tenants.length > 0) {
    v.fail('tenants', `need apiKeySource: ApiKeySourceType.AUTHORIZER, got apiKeySource '${source}' with ` +
      `${tenants.length} tenant(s): with HEADER the caller would choose the key it sends in x-api-key, so a tenant key would not bind the tenant`,
    tenants.map((t) => t.tenantId).join(','));
  }
  const seen = new Set<string>();
  for (const tenant of tenants) {
    checkTenant(v, 'tenants', tenant, tiers, seen);
    seen.add(tenant.tenantId);
  }
  checkTenantCount(v, 'tenants', tenants.length);
  v.durationInRange('tenantKeyCacheTtl', props.tenantKeyCacheTtl, Duration.minutes(1), Duration.hours(24));
  const endpointType = props.endpointType ?? apigateway.EndpointType.REGIONAL;
  if (props.customDomain?.mtls && endpointType !== apigateway.EndpointType.REGIONAL) {
    v.fail('customDomain.mtls', 'needs endpointType REGIONAL (API Gateway offers mutual TLS on regional custom domains only)', `endpointType ${endpointType}`);
  }
  if (props.disableExecuteApiEndpoint && !props.customDomain) {
    v.fail('disableExecuteApiEndpoint', 'needs customDomain: without the execute-api endpoint and a custom domain the API cannot be reached', true);
  }
}

/** One tenant: a valid id used once, and a tier the API has. */
function checkTenant(v: PropsValidator, prop: string, tenant: ApiTenant, tiers: readonly ApiTier[], seen: ReadonlySet<string>): void {
  v.matches(`${prop}.tenantId`, tenant.tenantId, TENANT_ID, 'letters, digits, . _ : - (1-128 characters), as the authorizer resolves the tenant');
  v.check(!seen.has(tenant.tenantId), `${prop}.tenantId`, 'must not repeat a tenant (one API key per tenant)', tenant.tenantId);
  const names = tiers.map((t) => t.name);
  if (tiers.length > 0 && !Token.isUnresolved(tenant.tier)) {
    v.check(names.includes(tenant.tier), `${prop}[${tenant.tenantId}].tier`, `must name one of the tiers (${names.join(', ')})`, tenant.tier);
  }
}

function checkTenantCount(v: PropsValidator, prop: string, count: number): void {
  v.check(count <= MAX_TENANTS, prop, `must hold at most ${MAX_TENANTS} tenants: each has its own API key, and API Gateway allows ` +
    `${MAX_TENANTS} API keys per account and region, a quota that cannot be raised`, `${count} tenants`);
}

/** Checks one `addTenant()` call against the API and the tenants it already has; throws listing every problem. */
export function validateTenant(scope: Construct, props: AuthorizedApiProps, existing: readonly string[], tenant: ApiTenant): void {
  const v = new PropsValidator(scope, 'AuthorizedApi.addTenant');
  const source = props.apiKeySource ?? apigateway.ApiKeySourceType.HEADER;
  v.check(source === apigateway.ApiKeySourceType.AUTHORIZER, 'apiKeySource',
    'must be ApiKeySourceType.AUTHORIZER to add tenants (with HEADER the caller would choose the key it sends in x-api-key)', source);
  checkTenant(v, 'tenant', tenant, props.tiers ?? [], new Set(existing));
  checkTenantCount(v, 'tenants', existing.length + 1);
  v.throwIfInvalid();
}

/** A route already on the API, guarded or public. */
export interface DeclaredRoute {
  readonly method: string;
  readonly path: string;
}

/** Checks one `addRoute()` call against the API and the routes already added; throws on the first call with problems. */
export function validateRoute(scope: Construct, props: AuthorizedApiProps, routes: readonly DeclaredRoute[],
  httpMethod: string, path: string, options: RouteOptions): void {
  const v = new PropsValidator(scope, 'AuthorizedApi.addRoute');
  checkRoute(v, routes, httpMethod, path);
  const scopes = options.scopes ?? [];
  if (props.auth.mode === ApiAuthMode.API_KEY_ONLY && scopes.length > 0) {
    v.fail('scopes', 'cannot be used with ApiAuth.apiKeyOnly() (API keys carry no scopes; use ApiAuth.jwt or ApiAuth.cognito)', scopes.join(' '));
  }
  for (const s of scopes) v.matches('scopes', s, SCOPE, 'printable ASCII without spaces, quotes or backslashes (1-256 characters)');
  checkCaching(v, props, httpMethod, options);
  v.throwIfInvalid();
}

/** Checks one `addPublicRoute()` call; throws on the first call with problems. */
export function validatePublicRoute(scope: Construct, props: AuthorizedApiProps, routes: readonly DeclaredRoute[],
  httpMethod: string, path: string, options: PublicRouteOptions): void {
  const v = new PropsValidator(scope, 'AuthorizedApi.addPublicRoute');
  checkRoute(v, routes, httpMethod, path);
  checkCaching(v, props, httpMethod, options);
  // cdk-nag requires 10 characters in an acknowledgement reason
  v.check((options.reason ?? '').trim().length >= 10, 'reason',
    'must say why the route needs no credentials (at least 10 characters; it becomes the cdk-nag acknowledgement)', options.reason);
  v.throwIfInvalid();
}

/** What every route must satisfy: a known method, a resource template, added once. */
function checkRoute(v: PropsValidator, routes: readonly DeclaredRoute[], httpMethod: string, path: string): void {
  v.oneOf('method', httpMethod, HTTP_METHODS);
  v.matches('path', path, PATH, "'/' or '/'-separated segments of [A-Za-z0-9._~-], {param} or a final {proxy+}");
  if (PATH.test(path) && /\{[^}]+\+\}./.test(path)) v.fail('path', 'may only end with a {proxy+} segment', path);
  v.check(!routes.some((r) => r.method === httpMethod && r.path === path), 'route', 'must be added once', `${httpMethod} ${path}`);
}

function checkCaching(v: PropsValidator, props: AuthorizedApiProps, httpMethod: string, options: BaseRouteOptions): void {
  if (options.cacheable && !props.cache) v.fail('cacheable', 'needs the cache prop (a stage cache cluster)', true);
  if (options.cacheable && httpMethod !== 'GET') v.fail('cacheable', 'is only meaningful for GET routes', httpMethod);
}

/** Problems of the complete route table, reported at synthesis (routes are added after construction). */
export function routeTableProblems(routes: readonly RouteRule[], policyScope: 'api' | 'method', auth: ApiAuth, stageNames: readonly string[]): string[] {
  const problems: string[] = [];
  if (routes.length === 0) problems.push('AuthorizedApi has no routes added with addRoute(): add at least one (public routes alone need no AuthorizedApi)');
  if (policyScope !== 'api' || auth.mode === ApiAuthMode.API_KEY_ONLY) return problems;
  const longestStage = Math.max(...stageNames.map((s) => s.length));
  const bytes = maxRoutePolicyBytes(routes, ARN_PREFIX_FIXED_CHARS + longestStage);
  if (bytes > MAX_POLICY_BYTES) {
    problems.push(`the cached authorizer policy for ${routes.length} routes can reach ${bytes} bytes, over the ${MAX_POLICY_BYTES}-byte limit: ` +
      'set authorizerCacheTtl to Duration.seconds(0) (one authorizer call per request) or split the API');
  }
  for (const [allowed, denied] of ambiguousRoutePairs(routes)) {
    problems.push(`routes '${denied.method} ${denied.path}' (scopes ${fmt(denied.scopes)}) and '${allowed.method} ${allowed.path}' ` +
      `(scopes ${fmt(allowed.scopes)}) cannot share a cached authorizer policy: an IAM wildcard of one covers the other. ` +
      'Give them the same scopes or set authorizerCacheTtl to Duration.seconds(0)');
  }
  return problems;
}

function fmt(scopes: readonly string[]): string {
  return scopes.length === 0 ? '(any)' : scopes.join(' ');
}

/** `routeThrottling` keys that name no route of the API, reported at synthesis (routes are added after construction). */
export function unknownThrottledRoutes(props: AuthorizedApiProps, routes: readonly { method: string; path: string }[]): string[] {
  const declared = new Set(routes.map((r) => `${r.method} ${r.path}`));
  return Object.keys(props.routeThrottling ?? {}).filter((key) => !declared.has(key))
    .map((key) => `AuthorizedApi routeThrottling names '${key}', which is not a route of the API (routes: ${[...declared].join(', ') || 'none'})`);
}
