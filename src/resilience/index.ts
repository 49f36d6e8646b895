export { CircuitBreakerFunction } from './circuit-breaker-function';
export type { CircuitBreakerFunctionProps, CircuitRecoveryOptions, CircuitStateCacheOptions, CircuitTripRules } from './circuit-breaker-function-props';
export { CircuitTarget } from './circuit-target';
export { Fallback } from './fallback';
export type { StaticResponseOptions } from './fallback';
