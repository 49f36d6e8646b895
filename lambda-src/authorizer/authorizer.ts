import { createHash, timingSafeEqual } from 'node:crypto';
import * as errors from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { JwksRefetchThrottledError, ThrottledJwksCache } from './jwks-cache';
import { TokenCache } from './token-cache';
import type { AuthorizerSettings, IssuerSettings } from '../../src/api/authorizer-settings';
import { buildRoutePolicy, methodPolicy, overlapMatrix, PolicyDocument } from '../../src/api/route-policy';

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
  | 'internal_error';

/** Who the caller is, once authenticated. Flat strings only: it becomes the authorizer context. */
export interface Principal {
  readonly principalId: string;
  readonly sub: string;
  readonly tenantId: string;
  readonly scopes: readonly string[];
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
/**
 * aws-jwt-verify's verifier seen through its (protected) decomposed-JWT entry points,
 * which verify() and verifySync() call after parsing: the token is parsed once, here.
 */
interface DecomposedVerifier {
  verifyDecomposedJwtSync(jwt: DecomposedJwt, jwksUri: string, props: VerifyProperties): JwtPayload;
  verifyDecomposedJwt(jwt: DecomposedJwt, jwksUri: string, props: VerifyProperties): Promise<JwtPayload>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const API_KEY_SHAPE = /^[A-Za-z0-9_\-.~+/=]{16,256}$/;
const TENANT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The authorizer's decision logic: authenticates a credential (JWT verified by
 * aws-jwt-verify against a static issuer allowlist, or an API key checked against
 * configured hashes), and decides per route from the token's scopes. Pure apart from the
 * JWKS fetch it delegates to its cache; the clock is injected.
 */
export class Authorizer {
  public readonly jwks: ThrottledJwksCache;
  public readonly tokens: TokenCache<{ readonly token: string; readonly principal: Principal }>;
  private readonly issuers: Map<string, IssuerSettings>;
  private readonly verifier?: DecomposedVerifier;
  private readonly verifyProperties = new Map<string, VerifyProperties>();
  private readonly apiKeys: Map<string, AuthorizerSettings['apiKeys'][number]>;
  private readonly overlaps: boolean[][];
  private readonly now: () => number;
  private readonly policies = new Map<string, PolicyDocument>();

  constructor(public readonly settings: AuthorizerSettings, deps: { now?: () => number; jwksCache?: ThrottledJwksCache } = {}) {
    const now = deps.now ?? Date.now;
    this.now = now;
    this.jwks = deps.jwksCache ?? new ThrottledJwksCache({
      minRefetchIntervalMs: settings.jwksMinRefetchIntervalMs,
      fetchTimeoutMs: settings.jwksFetchTimeoutMs,
      now,
    });
    this.tokens = new TokenCache(settings.tokenCacheMaxEntries, now);
    this.issuers = new Map(settings.issuers.map((i) => [i.issuer, i]));
    if (settings.issuers.length > 0) {
      const configs = settings.issuers.map((i) => ({
        issuer: i.issuer,
        audience: i.audiences.length > 0 ? [...i.audiences] : null,
        jwksUri: i.jwksUri,
        graceSeconds: settings.clockToleranceSec,
      }));
      this.verifyProperties = new Map(configs.map((c) => [c.issuer, c]));
      this.verifier = JwtVerifier.create(configs, { jwksCache: this.jwks }) as unknown as DecomposedVerifier;
      for (const i of settings.issuers) if (i.jwks) this.jwks.addJwks(i.jwksUri, i.jwks as never);
    }
    this.apiKeys = new Map(settings.apiKeys.map((k) => [k.sha256, k]));
    this.overlaps = overlapMatrix(settings.routes);
  }

  /** Authenticate one credential. Never throws: every failure is a reason code. */
  public async authenticate(credential: Credential | undefined): Promise<Authentication> {
    if (!credential || credential.value.length === 0) return { ok: false, reason: 'missing_token' };
    if (credential.kind === 'malformed') return { ok: false, reason: 'invalid_token' };
    if (credential.value.length > this.settings.maxTokenBytes) return { ok: false, reason: 'invalid_token' };
    try {
      return credential.kind === 'apiKey' ? this.authenticateApiKey(credential.value) : await this.authenticateJwt(credential.value);
    } catch {
      return { ok: false, reason: 'internal_error' };
    }
  }

  /** Whether the principal may call route `routeIndex` (undefined = a route the table does not know: denied). */
  public allows(principal: Principal, routeIndex: number | undefined): boolean {
    if (routeIndex === undefined) return false;
    const required = this.settings.routes[routeIndex].scopes;
    return required.length === 0 || required.some((s) => principal.scopes.includes(s));
  }

  /**
   * The IAM policy for a REST API. With `policyScope: 'api'` (API Gateway caches the
   * result for the token) it covers every route the scopes allow, so a cached policy is
   * right for the next route too; otherwise it covers exactly the invoked method ARN.
   */
  public policyFor(principal: Principal, routeIndex: number | undefined, methodArn: string): PolicyDocument {
    const allowed = this.allows(principal, routeIndex);
    if (this.settings.policyScope === 'api') {
      const prefix = arnPrefix(methodArn);
      if (prefix) {
        // Policies depend only on (stage prefix, scopes): memoized, bounded, shared read-only.
        const key = `${prefix}\n${principal.scopes.join(' ')}`;
        let policy = this.policies.get(key);
        if (!policy) {
          policy = buildRoutePolicy(this.settings.routes, new Set(principal.scopes), prefix, this.overlaps);
          if (policy) {
            if (this.policies.size >= 512) this.policies.clear();
            this.policies.set(key, policy);
          }
        }
        if (policy) return policy;
      }
      // No exact cross-route policy (the construct rejects such route tables at synth):
      // cover the invoked ARN only, so a cached result can only 403 other routes, never over-grant.
    }
    return methodPolicy(allowed ? 'Allow' : 'Deny', methodArn);
  }

  private authenticateApiKey(key: string): Authentication {
    if (!API_KEY_SHAPE.test(key)) return { ok: false, reason: 'invalid_api_key' };
    const digest = createHash('sha256').update(key, 'utf8').digest();
    const entry = this.apiKeys.get(digest.toString('hex'));
    // the map lookup finds the candidate; compare the digests in constant time anyway
    if (!entry || !timingSafeEqual(digest, Buffer.from(entry.sha256, 'hex'))) return { ok: false, reason: 'invalid_api_key' };
    return {
      ok: true,
      cache: 'miss',
      principal: {
        principalId: `apikey:${entry.id}`,
        sub: `apikey:${entry.id}`,
        tenantId: entry.tenantId,
        scopes: entry.scopes,
        authType: 'apiKey',
        expiresAt: this.now() + this.settings.tokenCacheTtlMs,
      },
    };
  }

  private async authenticateJwt(token: string): Promise<Authentication> {
    // Cache key: the signature segment (short to hash); a hit also needs the very same token.
    const dot2 = token.lastIndexOf('.');
    const signature = token.slice(dot2 + 1);
    const cached = this.tokens.get(signature);
    if (cached && cached.token === token) return { ok: true, principal: cached.principal, cache: 'hit' };

    const dot1 = token.indexOf('.');
    if (dot1 <= 0 || dot2 <= dot1 + 1 || dot2 === token.length - 1 || !JWT_SHAPE.test(token)) return { ok: false, reason: 'invalid_token' };
    if (!this.verifier) return { ok: false, reason: 'invalid_token' };
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
    if (typeof header.alg !== 'string' || !trusted.algorithms.includes(header.alg)) return { ok: false, reason: 'invalid_signature', iss, kid };
    if (!kid) return { ok: false, reason: 'invalid_token', iss };

    let claims: JwtPayload;
    try {
      // The verifier only knows the configured issuers and their JWKS URIs: a token never
      // names where its keys are. Synchronous when the key is cached; the async path only
      // when the JWKS must be fetched (throttled, single-flight).
      claims = this.verifier.verifyDecomposedJwtSync(decomposed, trusted.jwksUri, this.verifyProperties.get(trusted.issuer)!);
    } catch (syncErr) {
      if (!(syncErr instanceof errors.KidNotFoundInJwksError || syncErr instanceof errors.JwksNotAvailableInCacheError)) {
        return { ok: false, reason: reasonOf(syncErr), iss, kid };
      }
      try {
        claims = await this.verifier.verifyDecomposedJwt(decomposed, trusted.jwksUri, this.verifyProperties.get(trusted.issuer)!);
      } catch (err) {
        return { ok: false, reason: reasonOf(err), iss, kid };
      }
    }
    const principal = this.principalOf(trusted, claims);
    if (!principal) return { ok: false, reason: 'invalid_claims', iss, kid };
    this.tokens.set(signature, { token, principal }, principal.expiresAt);
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
      if (issuer.clientIds.length > 0 && (clientId === undefined || !issuer.clientIds.includes(clientId))) return undefined;
    }
    const tenant = issuer.fixedTenantId ?? claims[issuer.tenantClaim];
    if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) return undefined;
    const scopes = scopesOf(claims);
    const expiresAt = Math.min(claims.exp * 1000, this.now() + this.settings.tokenCacheTtlMs);
    return { principalId: sub, sub, tenantId: tenant, scopes, authType: 'jwt', iss: issuer.issuer, clientId, expiresAt };
  }
}

/** `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/` of a method ARN. */
export function arnPrefix(methodArn: string): string | undefined {
  const m = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+\/)/.exec(methodArn);
  return m?.[1];
}

/** `scope` (space-separated, OAuth 2.0) or `scp` (list or string). */
function scopesOf(claims: JwtPayload): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((s) => s.length > 0);
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
