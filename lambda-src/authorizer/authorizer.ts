import { createHash, timingSafeEqual } from 'node:crypto';
import * as errors from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { JwksRefetchThrottledError, ThrottledJwksCache } from './jwks-cache';
import { RouteAccess, RouteDecisions } from './route-decisions';
import { TokenCache } from './token-cache';
import { UsageKeyCache, UsageKeyReader } from './usage-keys';
import type { ApiKeySettings, AuthorizerSettings, IssuerSettings } from '../../src/api/authorizer-settings';
import type { PolicyDocument } from '../../src/api/route-policy';

/** Stable, credential-free reason for every decision (logged and counted, never returned to the caller). */
export type ReasonCode =
  | 'allowed'
  | 'missing_token'
  | 'invalid_token'
  | 'invalid_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'invalid_claims'
  | 'unknown_kid'
  | 'jwks_unavailable'
  | 'invalid_api_key'
  | 'insufficient_scope'
  | 'unknown_route'
  | 'unknown_tenant'
  | 'usage_key_unavailable'
  | 'internal_error';

/**
 * Who the caller is, once authenticated, and which routes it may call. Kept small: the token
 * cache holds one per token, and what survives in memory is what garbage collection copies.
 */
export interface Principal {
  /** The token's `sub` (or `apikey:<id>`); also API Gateway's principalId. */
  readonly sub: string;
  readonly tenantId: string;
  /** The caller's scopes, space-separated. */
  readonly scopes: string;
  /** The routes those scopes open, computed once per token. */
  readonly access: RouteAccess;
  readonly authType: 'jwt' | 'apiKey';
  readonly iss?: string;
  readonly clientId?: string;
  /** Epoch ms after which a cached result must not be reused. */
  readonly expiresAt: number;
}

/** The credential found in a request, before any check. */
export interface Credential {
  /** `malformed`: an Authorization header in no accepted scheme. */
  readonly kind: 'bearer' | 'apiKey' | 'malformed';
  readonly value: string;
}

export type Authentication =
  | { readonly ok: true; readonly principal: Principal; readonly cache: 'hit' | 'miss'; readonly kid?: string }
  | { readonly ok: false; readonly reason: ReasonCode; readonly iss?: string; readonly kid?: string };

type DecomposedJwt = ReturnType<typeof decomposeUnverifiedJwt>;
interface VerifyProperties { issuer: string; audience: string[] | null; jwksUri: string; graceSeconds: number }
/** A configured API key with what depends only on the settings: its principal's fields. */
interface KnownApiKey { readonly key: ApiKeySettings; readonly sub: string; readonly scopes: string; readonly access: RouteAccess }
/** A configured issuer with the verifier properties aws-jwt-verify needs for it. */
interface TrustedIssuer { readonly settings: IssuerSettings; readonly verifyProperties: VerifyProperties }
/**
 * aws-jwt-verify's verifier seen through its (protected) decomposed-JWT entry points,
 * which verify() and verifySync() call after parsing: the token is parsed once, here.
 */
interface DecomposedVerifier {
  verifyDecomposedJwtSync(jwt: DecomposedJwt, jwksUri: string, props: VerifyProperties): JwtPayload;
  verifyDecomposedJwt(jwt: DecomposedJwt, jwksUri: string, props: VerifyProperties): Promise<JwtPayload>;
}

const API_KEY_SHAPE = /^[A-Za-z0-9_\-.~+/=]{16,256}$/;
const TENANT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const INTERNAL_ERROR: Authentication = { ok: false, reason: 'internal_error' };
/**
 * Characters of the signature that key the token cache: about 90 bits nobody can choose without
 * the signing key, cheaper to hash than the whole signature. A hit also compares the whole token.
 */
const TOKEN_CACHE_KEY_CHARS = 16;

/**
 * The authorizer's decision logic: authenticates a credential (JWT verified by
 * aws-jwt-verify against a static issuer allowlist, or an API key checked against
 * configured hashes), and decides per route from the token's scopes. Pure apart from the
 * JWKS fetch it delegates to its cache; the clock is injected.
 */
export class Authorizer {
  public readonly jwks: ThrottledJwksCache;
  public readonly tokens: TokenCache<{ readonly token: string; readonly principal: Principal; readonly expiresAt: number }>;
  /** The route table, precomputed for matching requests and building policies. */
  public readonly routes: RouteDecisions;
  /** Tenant usage keys (API key source `AUTHORIZER`); undefined when the settings have none. */
  public readonly usageKeys?: UsageKeyCache;
  private readonly issuers = new Map<string, TrustedIssuer>();
  private readonly verifier?: DecomposedVerifier;
  /** API keys by their SHA-256, with what depends only on the settings computed once. */
  private readonly apiKeys: Map<string, KnownApiKey>;
  private readonly now: () => number;

  constructor(
    public readonly settings: AuthorizerSettings,
    deps: { now?: () => number; jwksCache?: ThrottledJwksCache; readUsageKey?: UsageKeyReader } = {},
  ) {
    const now = deps.now ?? Date.now;
    this.now = now;
    this.jwks = deps.jwksCache ?? new ThrottledJwksCache({
      minRefetchIntervalMs: settings.jwksMinRefetchIntervalMs,
      fetchTimeoutMs: settings.jwksFetchTimeoutMs,
      now,
    });
    this.tokens = new TokenCache(settings.tokenCacheMaxEntries, now);
    if (settings.issuers.length > 0) {
      const configs = settings.issuers.map((i) => ({
        issuer: i.issuer,
        audience: i.audiences.length > 0 ? [...i.audiences] : null,
        jwksUri: i.jwksUri,
        graceSeconds: settings.clockToleranceSec,
      }));
      settings.issuers.forEach((i, n) => this.issuers.set(i.issuer, { settings: i, verifyProperties: configs[n] }));
      this.verifier = JwtVerifier.create(configs, { jwksCache: this.jwks }) as unknown as DecomposedVerifier;
      for (const i of settings.issuers) if (i.jwks) this.jwks.addJwks(i.jwksUri, i.jwks as never);
    }
    this.routes = new RouteDecisions(settings.routes, settings.policyScope);
    this.apiKeys = new Map(settings.apiKeys.map((key) => [key.sha256, { key, sub: `apikey:${key.id}`, scopes: key.scopes.join(' '), access: this.routes.accessOf(key.scopes) }]));
    if (settings.usageKeys) {
      if (!deps.readUsageKey) throw new Error('usageKeys are configured but no usage-key reader was given');
      this.usageKeys = new UsageKeyCache(settings.usageKeys, deps.readUsageKey, now);
    }
  }

  /**
   * Authenticate one credential. Never throws: every failure is a reason code. Answers
   * synchronously unless a JWKS must be fetched, so the common path costs no promise.
   */
  public authenticate(credential: Credential | undefined): Authentication | Promise<Authentication> {
    if (!credential || credential.value.length === 0) return { ok: false, reason: 'missing_token' };
    if (credential.kind === 'malformed') return { ok: false, reason: 'invalid_token' };
    if (credential.value.length > this.settings.maxTokenBytes) return { ok: false, reason: 'invalid_token' };
    try {
      const result = credential.kind === 'apiKey' ? this.authenticateApiKey(credential.value) : this.authenticateJwt(credential.value);
      return result instanceof Promise ? result.catch(() => INTERNAL_ERROR) : result;
    } catch {
      return INTERNAL_ERROR;
    }
  }

  /** Whether the principal may call route `routeIndex` (undefined = a route the table does not know: denied). */
  public allows(principal: Principal, routeIndex: number | undefined): boolean {
    return this.routes.allows(principal.access, routeIndex);
  }

  /** The IAM policy for a REST API request (see {@link RouteDecisions.policyFor}). */
  public policyFor(principal: Principal, routeIndex: number | undefined, methodArn: string): PolicyDocument {
    return this.routes.policyFor(principal.access, routeIndex, methodArn);
  }

  private authenticateApiKey(key: string): Authentication {
    if (!API_KEY_SHAPE.test(key)) return { ok: false, reason: 'invalid_api_key' };
    const digest = createHash('sha256').update(key, 'utf8').digest();
    const known = this.apiKeys.get(digest.toString('hex'));
    // the map lookup finds the candidate; compare the digests in constant time anyway
    if (!known || !timingSafeEqual(digest, Buffer.from(known.key.sha256, 'hex'))) return { ok: false, reason: 'invalid_api_key' };
    const { sub, scopes, access } = known;
    const expiresAt = this.now() + this.settings.tokenCacheTtlMs;
    return { ok: true, cache: 'miss', principal: { sub, tenantId: known.key.tenantId, scopes, access, authType: 'apiKey', expiresAt } };
  }

  private authenticateJwt(token: string): Authentication | Promise<Authentication> {
    const cacheKey = token.slice(-TOKEN_CACHE_KEY_CHARS);
    const cached = this.tokens.get(cacheKey);
    if (cached && cached.token === token) return { ok: true, principal: cached.principal, cache: 'hit' };

    // Three non-empty base64url segments: aws-jwt-verify's parser checks the shape but allows
    // `=` padding, which compact JWS forbids.
    if (!this.verifier || token.includes('=')) return { ok: false, reason: 'invalid_token' };
    // Parsed once, by aws-jwt-verify's prototype-pollution-safe parser, and verified from
    // that decomposition (no second parse inside verify()).
    let decomposed: DecomposedJwt;
    try {
      decomposed = decomposeUnverifiedJwt(token);
    } catch {
      return { ok: false, reason: 'invalid_token' };
    }
    const { header, payload } = decomposed;
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    // Only configured issuers go further (aws-jwt-verify would otherwise try the configured
    // JWKS for an unknown issuer's kid); their JWKS URI comes from settings, never the token.
    const iss = typeof payload.iss === 'string' ? payload.iss : undefined;
    const trusted = iss !== undefined ? this.issuers.get(iss) : undefined;
    if (!trusted) return { ok: false, reason: 'invalid_token', iss: safeLogValue(iss), kid: kid?.slice(0, 128) };
    // alg none / HS* and anything outside the issuer's allowlist never reach the crypto
    if (typeof header.alg !== 'string' || !trusted.settings.algorithms.includes(header.alg)) return { ok: false, reason: 'invalid_signature', iss, kid };
    if (!kid) return { ok: false, reason: 'invalid_token', iss };

    let claims: JwtPayload;
    try {
      // The verifier only knows the configured issuers and their JWKS URIs: a token never
      // names where its keys are. Synchronous when the key is cached; the async path only
      // when the JWKS must be fetched (throttled, single-flight).
      claims = this.verifier.verifyDecomposedJwtSync(decomposed, trusted.settings.jwksUri, trusted.verifyProperties);
    } catch (err) {
      const keyNotCached = err instanceof errors.KidNotFoundInJwksError || err instanceof errors.JwksNotAvailableInCacheError;
      if (!keyNotCached) return { ok: false, reason: reasonOf(err), iss, kid };
      return this.verifier.verifyDecomposedJwt(decomposed, trusted.settings.jwksUri, trusted.verifyProperties).then(
        (fetched) => this.verified(trusted.settings, fetched, cacheKey, token, kid),
        (fetchErr: unknown): Authentication => ({ ok: false, reason: reasonOf(fetchErr), iss, kid }));
    }
    return this.verified(trusted.settings, claims, cacheKey, token, kid);
  }

  /** The principal of verified claims, remembered in the token cache. */
  private verified(issuer: IssuerSettings, claims: JwtPayload, cacheKey: string, token: string, kid: string): Authentication {
    const principal = this.principalOf(issuer, claims);
    if (!principal) return { ok: false, reason: 'invalid_claims', iss: issuer.issuer, kid };
    this.tokens.set(cacheKey, { token, principal, expiresAt: principal.expiresAt });
    return { ok: true, principal, cache: 'miss', kid };
  }

  private principalOf(issuer: IssuerSettings, claims: JwtPayload): Principal | undefined {
    const sub = claims.sub;
    if (typeof sub !== 'string' || sub.length === 0 || typeof claims.exp !== 'number') return undefined;
    for (const c of issuer.requiredClaims) if (claims[c] === undefined || claims[c] === null) return undefined;
    const clientId = typeof claims.client_id === 'string' ? claims.client_id
      : typeof claims.azp === 'string' ? claims.azp
        : typeof claims.aud === 'string' ? claims.aud : undefined;
    if (issuer.tokenUse) {
      if (claims.token_use !== issuer.tokenUse) return undefined;
      if (!issuer.anyClient && (clientId === undefined || !issuer.clientIds.includes(clientId))) return undefined;
    }
    const tenant = issuer.fixedTenantId ?? claims[issuer.tenantClaim];
    if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) return undefined;
    const raw = claims.scope ?? claims.scp;
    const scopes = scopesOf(raw);
    return {
      sub,
      tenantId: tenant,
      // a well-formed `scope` claim already is the space-separated text
      scopes: typeof raw === 'string' && isSpaceSeparated(raw) ? raw : scopes.join(' '),
      access: this.routes.accessOf(scopes),
      authType: 'jwt',
      iss: issuer.issuer,
      clientId,
      expiresAt: Math.min(claims.exp * 1000, this.now() + this.settings.tokenCacheTtlMs),
    };
  }
}

/** Non-empty, single spaces between scopes, none at the ends: splitting and joining it again gives it back. */
function isSpaceSeparated(value: string): boolean {
  return value.length > 0 && value.charCodeAt(0) !== 0x20 && value.charCodeAt(value.length - 1) !== 0x20 && !value.includes('  ');
}

/** `scope` (space-separated, OAuth 2.0) or `scp` (list or string). */
function scopesOf(raw: JwtPayload[string]): string[] {
  if (typeof raw === 'string') return isSpaceSeparated(raw) ? raw.split(' ') : raw.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return [];
}

/** Issuer strings of unknown tokens are attacker-controlled: log a bounded, printable prefix only. */
function safeLogValue(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.replace(/[^\x20-\x7e]/g, '?').slice(0, 128);
}

function reasonOf(err: unknown): ReasonCode {
  if (err instanceof errors.JwtExpiredError) return 'token_expired';
  if (err instanceof errors.JwtNotBeforeError) return 'token_not_yet_valid';
  if (err instanceof errors.JwtInvalidSignatureError || err instanceof errors.JwtInvalidSignatureAlgorithmError) return 'invalid_signature';
  if (err instanceof errors.JwkValidationError || err instanceof errors.JwkInvalidKtyError || err instanceof errors.JwkInvalidUseError) {
    return 'invalid_signature';
  }
  if (err instanceof errors.JwtInvalidClaimError || err instanceof errors.ParameterValidationError) return 'invalid_claims';
  if (err instanceof errors.KidNotFoundInJwksError || err instanceof errors.JwtWithoutValidKidError || err instanceof JwksRefetchThrottledError) {
    return 'unknown_kid';
  }
  if (err instanceof errors.FetchError || err instanceof errors.JwksValidationError || err instanceof errors.JwksNotAvailableInCacheError) {
    return 'jwks_unavailable';
  }
  if (err instanceof errors.JwtParseError || err instanceof errors.FailedAssertionError) return 'invalid_token';
  return 'jwks_unavailable';
}
