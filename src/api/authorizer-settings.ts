// The settings contract between AuthorizedApi (which writes them) and the authorizer
// handler (which parses them at init). Dependency-free: the handler bundles this file.
import type { RouteRule } from './route-policy';
import type { SettingsReader } from '../core/settings-reader';

/** The environment variable the AuthorizedApi construct writes the settings into. */
export const AUTHORIZER_SETTINGS_VARIABLE = 'AUTHORIZER_SETTINGS';

/** Algorithms aws-jwt-verify can verify; the allowlist of an issuer is a subset. */
export const SUPPORTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** One trusted token issuer. Its JWKS location comes from here, never from a token. */
export interface IssuerSettings {
  readonly issuer: string;
  /** Accepted `aud` values; empty = audience not checked (Cognito access tokens carry `client_id` instead). */
  readonly audiences: readonly string[];
  readonly jwksUri: string;
  /** Preloaded JWKS: verification needs no network call for these keys. */
  readonly jwks?: { keys: Array<Record<string, string>> };
  readonly algorithms: readonly string[];
  /** Cognito: required `token_use` (`access` or `id`). */
  readonly tokenUse?: string;
  /** Cognito: accepted `client_id` (access tokens) / `aud` (id tokens). */
  readonly clientIds: readonly string[];
  /** Cognito: accept every app client of the pool (an explicit opt-in; `clientIds` is then empty). */
  readonly anyClient: boolean;
  /** Claim holding the tenant id, unless `fixedTenantId` is set. */
  readonly tenantClaim: string;
  readonly fixedTenantId?: string;
  readonly requiredClaims: readonly string[];
}

/** An API key accepted as an alternative credential (`Authorization: ApiKey <key>`). */
export interface ApiKeySettings {
  /** Non-secret id, used as principalId and in logs. */
  readonly id: string;
  /** Hex SHA-256 of the key: the key itself is never configured or logged. */
  readonly sha256: string;
  readonly tenantId: string;
  readonly scopes: readonly string[];
}

/** One tenant metered on its own usage-plan API key: the key's id, never its value. */
export interface TenantUsageKeySettings {
  readonly tenantId: string;
  /** The `AWS::ApiGateway::ApiKey` id; the authorizer reads the value with GetApiKey. */
  readonly apiKeyId: string;
}

/**
 * API key source `AUTHORIZER`: the authorizer returns the caller's tenant key as
 * `usageIdentifierKey`. A tenant not listed is denied (fail closed).
 */
export interface UsageKeySettings {
  readonly tenants: readonly TenantUsageKeySettings[];
  /** How long a key value read with GetApiKey is used before it is read again. */
  readonly cacheTtlMs: number;
}

export interface AuthorizerSettings {
  readonly issuers: readonly IssuerSettings[];
  readonly apiKeys: readonly ApiKeySettings[];
  readonly routes: readonly RouteRule[];
  /** `api`: API Gateway caches the result, so the policy covers every route; `method`: only the invoked ARN. */
  readonly policyScope: 'api' | 'method';
  readonly clockToleranceSec: number;
  readonly maxTokenBytes: number;
  readonly jwksMinRefetchIntervalMs: number;
  readonly jwksFetchTimeoutMs: number;
  readonly tokenCacheMaxEntries: number;
  readonly tokenCacheTtlMs: number;
  /** Header carrying an API key on REQUEST / HTTP API events. */
  readonly apiKeyHeader: string;
  /** Present only with API key source `AUTHORIZER`. */
  readonly usageKeys?: UsageKeySettings;
}

/** One issuer as the construct writes it: the parser fills in the defaults. */
export interface IssuerDocument {
  readonly issuer: string;
  readonly audiences?: readonly string[];
  readonly jwksUri?: string;
  readonly jwks?: unknown;
  readonly algorithms?: readonly string[];
  readonly tokenUse?: string;
  readonly clientIds?: readonly string[];
  readonly anyClient?: boolean;
  readonly tenantClaim?: string;
  readonly fixedTenantId?: string;
  readonly requiredClaims?: readonly string[];
}

/** The document the construct writes: issuers or API keys, the routes, and optional tuning. */
export type AuthorizerSettingsDocument = Partial<Omit<AuthorizerSettings, 'issuers'>> & {
  readonly issuers?: ReadonlyArray<IssuerDocument | undefined>;
};

type NestedKey = keyof IssuerDocument | keyof ApiKeySettings | keyof RouteRule | keyof TenantUsageKeySettings;

/** API Gateway API key ids are short alphanumeric strings. */
const API_KEY_ID = /^[A-Za-z0-9]{1,64}$/;
/** Bounds of `usageKeys.cacheTtlMs` (the construct's `tenantKeyCacheTtl`: 1 minute to 24 hours). */
const USAGE_KEY_TTL_MS = { min: 60_000, max: 86_400_000 } as const;

const TENANT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];

/** Parse and check the settings; the reader reports every problem in one error. */
export function parseAuthorizerSettings(config: SettingsReader<AuthorizerSettingsDocument>): AuthorizerSettings {
  const list = (key: 'issuers' | 'apiKeys' | 'routes'): Record<string, unknown>[] => {
    const raw = config.raw(key);
    if (raw === undefined) return [];
    if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) {
      config.fail(`${key} must be a list of objects`);
      return [];
    }
    return raw as Record<string, unknown>[];
  };
  const str = (where: string, o: Record<string, unknown>, k: NestedKey, optional = false): string | undefined => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v === 'string' && v.length > 0) return v;
    config.fail(`${where}.${k} must be a non-empty string, got ${JSON.stringify(v)}`);
    return undefined;
  };
  const strs = (where: string, o: Record<string, unknown>, k: NestedKey): string[] => {
    const v = o[k];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0)) return v as string[];
    config.fail(`${where}.${k} must be a list of non-empty strings, got ${JSON.stringify(v)}`);
    return [];
  };

  const issuers: IssuerSettings[] = list('issuers').map((o, i) => {
    const where = `issuers[${i}]`;
    const issuer = str(where, o, 'issuer') ?? '';
    if (issuer && !issuer.startsWith('https://')) config.fail(`${where}.issuer must be an https URL, got ${JSON.stringify(issuer)}`);
    const jwksUri = str(where, o, 'jwksUri', true) ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
    if (!jwksUri.startsWith('https://')) config.fail(`${where}.jwksUri must be an https URL, got ${JSON.stringify(jwksUri)}`);
    const algorithms = strs(where, o, 'algorithms');
    for (const a of algorithms) {
      if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(a)) {
        config.fail(`${where}.algorithms may only hold ${SUPPORTED_ALGORITHMS.join(', ')}, got ${JSON.stringify(a)}`);
      }
    }
    const jwks = o.jwks;
    if (jwks !== undefined && !(typeof jwks === 'object' && jwks !== null && Array.isArray((jwks as { keys?: unknown }).keys))) {
      config.fail(`${where}.jwks must be a JWKS object with a keys list`);
    }
    const fixedTenantId = str(where, o, 'fixedTenantId', true);
    if (fixedTenantId && !TENANT_ID.test(fixedTenantId)) config.fail(`${where}.fixedTenantId must match ${TENANT_ID}, got ${JSON.stringify(fixedTenantId)}`);
    const tokenUse = str(where, o, 'tokenUse', true);
    if (tokenUse && tokenUse !== 'access' && tokenUse !== 'id') config.fail(`${where}.tokenUse must be "access" or "id", got ${JSON.stringify(tokenUse)}`);
    const clientIds = strs(where, o, 'clientIds');
    const anyClient = o.anyClient === true;
    if (o.anyClient !== undefined && typeof o.anyClient !== 'boolean') config.fail(`${where}.anyClient must be a boolean, got ${JSON.stringify(o.anyClient)}`);
    if (anyClient && clientIds.length > 0) config.fail(`${where}.anyClient cannot be combined with ${where}.clientIds`);
    // A Cognito pool may gain app clients nobody reviewed: accepting all of them is an explicit choice.
    if (tokenUse && clientIds.length === 0 && !anyClient) config.fail(`${where}.clientIds must list the accepted app clients, or ${where}.anyClient must be true`);
    return {
      issuer,
      audiences: strs(where, o, 'audiences'),
      jwksUri,
      jwks: jwks as IssuerSettings['jwks'],
      algorithms: algorithms.length > 0 ? algorithms : ['RS256', 'ES256'],
      tokenUse,
      clientIds,
      anyClient,
      tenantClaim: str(where, o, 'tenantClaim', true) ?? 'custom:tenant_id',
      fixedTenantId,
      requiredClaims: strs(where, o, 'requiredClaims'),
    };
  });
  issuers.forEach((s, i) => {
    if (s.audiences.length === 0 && !s.tokenUse) config.fail(`issuers[${i}] needs audiences (or tokenUse for a Cognito issuer)`);
  });
  if (new Set(issuers.map((s) => s.issuer)).size !== issuers.length) config.fail('issuers must not list an issuer twice');

  const apiKeys: ApiKeySettings[] = list('apiKeys').map((o, i) => {
    const where = `apiKeys[${i}]`;
    const sha256 = str(where, o, 'sha256') ?? '';
    if (sha256 && !/^[0-9a-f]{64}$/.test(sha256)) config.fail(`${where}.sha256 must be 64 lower-case hex characters`);
    const tenantId = str(where, o, 'tenantId') ?? '';
    if (tenantId && !TENANT_ID.test(tenantId)) config.fail(`${where}.tenantId must match ${TENANT_ID}, got ${JSON.stringify(tenantId)}`);
    return { id: str(where, o, 'id') ?? '', sha256, tenantId, scopes: strs(where, o, 'scopes') };
  });
  if (issuers.length === 0 && apiKeys.length === 0) config.fail('issuers or apiKeys must hold at least one entry');

  const routes: RouteRule[] = list('routes').map((o, i) => {
    const where = `routes[${i}]`;
    const method = str(where, o, 'method') ?? '';
    if (method && !METHODS.includes(method)) config.fail(`${where}.method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
    const path = str(where, o, 'path') ?? '/';
    if (!path.startsWith('/')) config.fail(`${where}.path must start with /, got ${JSON.stringify(path)}`);
    return { method, path, scopes: strs(where, o, 'scopes') };
  });
  if (routes.length === 0) config.fail('routes must hold at least one route');

  const usageKeys = parseUsageKeys(config, str);

  const settings: AuthorizerSettings = {
    issuers,
    apiKeys,
    routes,
    policyScope: config.oneOf('policyScope', ['api', 'method'] as const, 'api'),
    clockToleranceSec: config.number('clockToleranceSec', { min: 0, max: 300, integer: true }, 30),
    maxTokenBytes: config.number('maxTokenBytes', { min: 512, max: 65536, integer: true }, 8192),
    jwksMinRefetchIntervalMs: config.number('jwksMinRefetchIntervalMs', { min: 0, max: 3_600_000, integer: true }, 10_000),
    jwksFetchTimeoutMs: config.number('jwksFetchTimeoutMs', { min: 100, max: 10_000, integer: true }, 2_000),
    tokenCacheMaxEntries: config.number('tokenCacheMaxEntries', { min: 0, max: 100_000, integer: true }, 2_000),
    tokenCacheTtlMs: config.number('tokenCacheTtlMs', { min: 0, max: 3_600_000, integer: true }, 300_000),
    apiKeyHeader: config.string('apiKeyHeader', 'x-api-key').toLowerCase(),
    ...(usageKeys ? { usageKeys } : {}),
  };
  config.validate();
  return settings;
}

type StringField = (where: string, o: Record<string, unknown>, k: NestedKey) => string | undefined;

/** `usageKeys`, when present: every tenant once, each with a key id; a TTL within bounds. */
function parseUsageKeys(config: SettingsReader<AuthorizerSettingsDocument>, str: StringField): UsageKeySettings | undefined {
  const raw = config.raw('usageKeys');
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    config.fail(`usageKeys must be an object with tenants and cacheTtlMs, got ${JSON.stringify(raw)?.slice(0, 80)}`);
    return undefined;
  }
  const { tenants: rawTenants, cacheTtlMs: rawTtl } = raw as { tenants?: unknown; cacheTtlMs?: unknown };
  if (!Array.isArray(rawTenants) || !rawTenants.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) {
    config.fail('usageKeys.tenants must be a list of objects');
    return undefined;
  }
  const seen = new Set<string>();
  const tenants = (rawTenants as Record<string, unknown>[]).map((o, i) => {
    const where = `usageKeys.tenants[${i}]`;
    const tenantId = str(where, o, 'tenantId') ?? '';
    if (tenantId && !TENANT_ID.test(tenantId)) config.fail(`${where}.tenantId must match ${TENANT_ID}, got ${JSON.stringify(tenantId.slice(0, 140))}`);
    if (seen.has(tenantId)) config.fail(`${where}.tenantId must not repeat a tenant, got ${JSON.stringify(tenantId)}`);
    seen.add(tenantId);
    const apiKeyId = str(where, o, 'apiKeyId') ?? '';
    if (apiKeyId && !API_KEY_ID.test(apiKeyId)) config.fail(`${where}.apiKeyId must be an API key id (letters and digits), got ${JSON.stringify(apiKeyId.slice(0, 80))}`);
    return { tenantId, apiKeyId };
  });
  let cacheTtlMs = 3_600_000;
  if (rawTtl !== undefined) {
    const ok = typeof rawTtl === 'number' && Number.isInteger(rawTtl) && rawTtl >= USAGE_KEY_TTL_MS.min && rawTtl <= USAGE_KEY_TTL_MS.max;
    if (ok) cacheTtlMs = rawTtl;
    else config.fail(`usageKeys.cacheTtlMs must be an integer between ${USAGE_KEY_TTL_MS.min} and ${USAGE_KEY_TTL_MS.max}, got ${JSON.stringify(rawTtl)}`);
  }
  return { tenants, cacheTtlMs };
}
