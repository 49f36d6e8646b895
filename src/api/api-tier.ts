/**
 * A usage-plan tier: a usage plan on every stage with its own throttle and daily quota,
 * and one API key (created by API Gateway; read its value with `GetApiKey
 * --include-value`). Usage plans meter and shape traffic; AWS documents their limits
 * as best effort, so they are not an access-control or cost-control mechanism.
 */
export interface ApiTier {
  /** Tier name, e.g. `basic` (letters, digits, `-`, `_`; 1-64 characters). */
  readonly name: string;
  /** Steady-state requests per second for a key of this tier (> 0). */
  readonly rateLimit: number;
  /** Burst capacity in requests (integer >= 0). */
  readonly burstLimit: number;
  /** Requests per day per key. @default - no quota */
  readonly quotaPerDay?: number;
}

/**
 * A tenant metered on its own API key in its tier's usage plan (API key source
 * `AUTHORIZER`): the authorizer returns the key of the verified caller's tenant, so every
 * tenant has its own rate, burst and daily quota, and no caller can choose another plan.
 */
export interface ApiTenant {
  /**
   * Tenant id exactly as the authorizer resolves it (the token claim `tenantClaim`,
   * `fixedTenantId`, or an API-key client's `tenantId`): letters, digits, `.`, `_`, `:`, `-`
   * (1-128 characters).
   */
  readonly tenantId: string;
  /** Name of one of `tiers`: the usage plan (rate, burst, daily quota) this tenant's key joins. */
  readonly tier: string;
}

/** Stage-level throttling, applied to every stage. */
export interface ApiThrottling {
  /** Steady-state requests per second for the stage (> 0, at most 10000 by default account limits). */
  readonly rateLimit: number;
  /** Burst capacity in requests (integer 0-5000). */
  readonly burstLimit: number;
}
