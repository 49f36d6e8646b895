import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';

/** How callers of an {@link AuthorizedApi} authenticate. */
export enum ApiAuthMode {
  /** A Lambda authorizer verifies JWTs of configured issuers (and optional API-key clients). */
  JWT = 'JWT',
  /** A Lambda authorizer verifies access (or id) tokens of a Cognito user pool. */
  COGNITO = 'COGNITO',
  /** No authorizer: API Gateway API keys of the usage-plan tiers are the only credential. */
  API_KEY_ONLY = 'API_KEY_ONLY',
}

/**
 * An API key accepted by the authorizer as an alternative to a JWT, sent as
 * `Authorization: ApiKey <key>`. Only the key's SHA-256 is configured: generate the key
 * (e.g. `<prefix>_` + 32 random bytes in base64url), hand it to the client, and put
 * `sha256(key)` here. Usage-plan tier keys (`x-api-key`) are a separate, metering-only
 * mechanism.
 */
export interface ApiKeyClient {
  /** Non-secret name of the client; the principal id becomes `apikey:<id>`. */
  readonly id: string;
  /** Lower-case hex SHA-256 of the key (64 characters). */
  readonly keySha256: string;
  /** Tenant the key belongs to; becomes `tenantId` in the authorizer context. */
  readonly tenantId: string;
  /** Scopes the key grants. @default - none: only routes without scopes */
  readonly scopes?: string[];
}

/** Options shared by the token-verifying modes. */
export interface TokenAuthOptions {
  /**
   * Claim holding the caller's tenant id (`^[A-Za-z0-9._:-]{1,128}$`). A token without it
   * is rejected (401).
   * @default 'custom:tenant_id'
   */
  readonly tenantClaim?: string;
  /** Every caller of this issuer belongs to this tenant (instead of `tenantClaim`). @default - from tenantClaim */
  readonly fixedTenantId?: string;
  /** Tolerated clock skew for `exp` and `nbf`. @default Duration.seconds(30) */
  readonly clockTolerance?: Duration;
  /** Claims that must be present. @default - none */
  readonly requiredClaims?: string[];
  /** API keys accepted as an alternative credential. @default - none */
  readonly apiKeyClients?: ApiKeyClient[];
}

/** A JWT issuer trusted by the authorizer. */
export interface JwtAuthProps extends TokenAuthOptions {
  /** Exact `iss` value; must be an https URL. The token's `iss` only selects among configured issuers. */
  readonly issuer: string;
  /** Accepted `aud` values (at least one). */
  readonly audience: string[];
  /** Where the issuer publishes its keys (https). @default `${issuer}/.well-known/jwks.json` */
  readonly jwksUri?: string;
  /**
   * The issuer's JWKS as JSON, preloaded into the authorizer: no network call before the
   * first decision. Keys not in it are still fetched from `jwksUri` (at most once per 10 s).
   * @default - fetched from jwksUri on first use
   */
  readonly jwks?: string;
  /** Signature algorithms accepted (subset of RS256/384/512, ES256/384/512, EdDSA). @default ['RS256', 'ES256'] */
  readonly algorithms?: string[];
}

/**
 * Cognito user-pool tokens verified by the authorizer. Name the app clients whose tokens
 * are accepted in `userPoolClients`, or opt in to every client of the pool with
 * `allowAnyClient: true`; one of the two is required.
 */
export interface CognitoAuthOptions extends TokenAuthOptions {
  /**
   * App clients whose tokens are accepted (`client_id` of access tokens, `aud` of id tokens).
   * Required unless `allowAnyClient` is true.
   * @default - none: construction fails unless `allowAnyClient` is true
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];
  /**
   * Accept tokens of every app client of the pool, including clients added later by anyone
   * who can change the pool. Cannot be combined with `userPoolClients`.
   * @default false
   */
  readonly allowAnyClient?: boolean;
  /** `access` (recommended: carries scopes) or `id`. @default 'access' */
  readonly tokenUse?: string;
}

/**
 * How callers authenticate: `ApiAuth.jwt(...)`, `ApiAuth.cognito(userPool)` or
 * `ApiAuth.apiKeyOnly()`.
 */
export class ApiAuth {
  /** JWTs of one issuer, verified by the library's Lambda authorizer. */
  public static jwt(props: JwtAuthProps): ApiAuth {
    return new ApiAuth(ApiAuthMode.JWT, props, undefined, undefined);
  }

  /**
   * Tokens of a Cognito user pool, verified by the library's Lambda authorizer (scopes, tenant
   * claim, cached-policy safety). `options.userPoolClients` (or `allowAnyClient: true`) is required.
   */
  public static cognito(userPool: cognito.IUserPool, options: CognitoAuthOptions = {}): ApiAuth {
    return new ApiAuth(ApiAuthMode.COGNITO, undefined, userPool, options);
  }

  /** No authorizer: every route requires an API Gateway API key of one of the tiers. Routes cannot have scopes. */
  public static apiKeyOnly(): ApiAuth {
    return new ApiAuth(ApiAuthMode.API_KEY_ONLY, undefined, undefined, undefined);
  }

  private constructor(
    /** The mode. */
    public readonly mode: ApiAuthMode,
    /** The issuer settings of JWT mode. */
    public readonly jwtProps: JwtAuthProps | undefined,
    /** The user pool of COGNITO mode. */
    public readonly userPool: cognito.IUserPool | undefined,
    /** The options of COGNITO mode. */
    public readonly cognitoOptions: CognitoAuthOptions | undefined,
  ) {}

  /** The options common to the token modes. */
  public get tokenOptions(): TokenAuthOptions | undefined {
    return this.jwtProps ?? this.cognitoOptions;
  }
}
