/**
 * How tasks are spread over FARGATE and FARGATE_SPOT. Spot costs up to 70 % less but can
 * be reclaimed with two minutes' notice and runs only on X86_64.
 */
export interface FargateCapacity {
  /**
   * Relative share of tasks placed on FARGATE_SPOT beyond the on-demand base.
   * @default 0
   */
  readonly spotWeight?: number;
  /**
   * Tasks always placed on on-demand FARGATE before any weight applies.
   * @default 1
   */
  readonly onDemandBase?: number;
  /**
   * Relative share of tasks placed on on-demand FARGATE beyond the base.
   * @default 1 when spotWeight is 0, otherwise 0
   */
  readonly onDemandWeight?: number;
}
