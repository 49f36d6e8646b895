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

/** Stage-level throttling, applied to every stage. */
export interface ApiThrottling {
  /** Steady-state requests per second for the stage (> 0, at most 10000 by default account limits). */
  readonly rateLimit: number;
  /** Burst capacity in requests (integer 0-5000). */
  readonly burstLimit: number;
}
