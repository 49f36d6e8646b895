import * as errors from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import type { WsAuthorizerSettings } from '../../../../examples/iot-platform/ws-authorizer-settings';
import { JwksRefetchThrottledError, ThrottledJwksCache } from '../../../authorizer/jwks-cache';
import { InvalidIdError, tenantId } from '../shared/keys';

/** Why a token was refused (logged, never returned to the caller). */
export type TokenRejection =
  | 'invalid_token' | 'foreign_issuer' | 'invalid_signature' | 'token_expired' | 'token_not_yet_valid'
  | 'unknown_kid' | 'invalid_claims' | 'not_an_id_token' | 'unknown_client' | 'invalid_tenant';

/** A verified Cognito ID token of one of the two app clients. */
export interface VerifiedIdToken {
  readonly ok: true;
  readonly sub: string;
  readonly tenantId: string;
  readonly role: 'device' | 'operator';
}

export type IdTokenResult = VerifiedIdToken | { readonly ok: false; readonly reason: TokenRejection };

/** The signing keys could not be read: no decision is possible, and a Deny would blame the token. */
export class JwksUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the user pool's signing keys are unavailable: ${(cause as Error)?.message ?? String(cause)}`.slice(0, 300), { cause });
    this.name = 'JwksUnavailableError';
  }
}

/** Cognito signs ID tokens with RS256; nothing else (none, HS*) reaches the crypto. */
const ALGORITHMS = ['RS256'];
/** Longer than any Cognito ID token with custom attributes; longer ones are refused unread. */
const MAX_TOKEN_CHARS = 8192;
/** Compact JWS: three base64url segments, no padding. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** The library authorizer's defaults: one JWKS fetch per 10 s at most, 2 s per fetch. */
const JWKS_MIN_REFETCH_INTERVAL_MS = 10_000;
const JWKS_FETCH_TIMEOUT_MS = 2_000;
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies Cognito ID tokens of the user pool in the settings with aws-jwt-verify, through
 * the library authorizer's throttled JWKS cache (at most one fetch per interval, keys kept
 * when a refresh fails). The issuer is checked before anything is fetched, so tokens of
 * another pool cost no network call; the role is the app client the token was issued to.
 */
export class IdTokenVerifier {
  public readonly jwks: ThrottledJwksCache;
  private readonly verifier: { verify(token: string): Promise<JwtPayload> };

  constructor(private readonly settings: WsAuthorizerSettings, jwksCache?: ThrottledJwksCache) {
    this.jwks = jwksCache ?? new ThrottledJwksCache({ minRefetchIntervalMs: JWKS_MIN_REFETCH_INTERVAL_MS, fetchTimeoutMs: JWKS_FETCH_TIMEOUT_MS });
    this.verifier = JwtVerifier.create({
      issuer: settings.issuer,
      jwksUri: settings.jwksUri,
      audience: [settings.deviceClientId, settings.operatorClientId],
      graceSeconds: CLOCK_TOLERANCE_SECONDS,
    }, { jwksCache: this.jwks }) as unknown as { verify(token: string): Promise<JwtPayload> };
  }

  /** The token's subject, tenant and role, or why it is refused; throws JwksUnavailableError when the keys cannot be read. */
  public async verify(token: string): Promise<IdTokenResult> {
    if (token.length > MAX_TOKEN_CHARS || !COMPACT_JWS.test(token)) return { ok: false, reason: 'invalid_token' };
    let decomposed: ReturnType<typeof decomposeUnverifiedJwt>;
    try {
      decomposed = decomposeUnverifiedJwt(token);
    } catch {
      return { ok: false, reason: 'invalid_token' };
    }
    const { header, payload } = decomposed;
    if (payload.iss !== this.settings.issuer) return { ok: false, reason: 'foreign_issuer' };
    if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) return { ok: false, reason: 'invalid_signature' };
    if (typeof header.kid !== 'string' || header.kid.length === 0) return { ok: false, reason: 'invalid_token' };

    let claims: JwtPayload;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      const reason = this.rejectionOf(error, decomposed);
      if (reason === undefined) throw new JwksUnavailableError(error);
      return { ok: false, reason };
    }
    return this.identityOf(claims);
  }

  private identityOf(claims: JwtPayload): IdTokenResult {
    if (claims.token_use !== 'id') return { ok: false, reason: 'not_an_id_token' };
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(claims.sub)) return { ok: false, reason: 'invalid_claims' };
    // aud was checked against both clients by the verifier; Cognito ID tokens name exactly one
    const role = claims.aud === this.settings.deviceClientId ? 'device' : claims.aud === this.settings.operatorClientId ? 'operator' : undefined;
    if (!role) return { ok: false, reason: 'unknown_client' };
    try {
      return { ok: true, sub: claims.sub, role, tenantId: tenantId(claims['custom:tenant_id'], 'custom:tenant_id') };
    } catch (error) {
      if (error instanceof InvalidIdError) return { ok: false, reason: 'invalid_tenant' };
      throw error;
    }
  }

  /** The refusal an aws-jwt-verify error stands for; undefined when it says the keys could not be read. */
  private rejectionOf(error: unknown, decomposed: ReturnType<typeof decomposeUnverifiedJwt>): TokenRejection | undefined {
    if (error instanceof errors.JwtExpiredError) return 'token_expired';
    if (error instanceof errors.JwtNotBeforeError) return 'token_not_yet_valid';
    if (error instanceof errors.JwtInvalidSignatureError || error instanceof errors.JwtInvalidSignatureAlgorithmError
      || error instanceof errors.JwkValidationError || error instanceof errors.JwkInvalidKtyError || error instanceof errors.JwkInvalidUseError) {
      return 'invalid_signature';
    }
    if (error instanceof errors.JwtInvalidClaimError || error instanceof errors.ParameterValidationError) return 'invalid_claims';
    if (error instanceof errors.JwtParseError) return 'invalid_token';
    if (error instanceof errors.KidNotFoundInJwksError || error instanceof errors.JwtWithoutValidKidError) return 'unknown_kid';
    if (error instanceof JwksRefetchThrottledError) {
      // a kid missing from keys we hold is the token's fault; no keys at all is ours
      try {
        this.jwks.getCachedJwk(this.settings.jwksUri, decomposed);
      } catch (cached) {
        if (cached instanceof errors.KidNotFoundInJwksError) return 'unknown_kid';
      }
      return undefined;
    }
    return undefined;
  }
}
