export * from './circuit-breaker-function';
export * from './circuit-target';
export * from './fallback';
