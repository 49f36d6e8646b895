import { CircuitStateName, StateStore } from './store';
import type { BreakerSettings } from '../../src/resilience/circuit-breaker-settings';

export type { BreakerSettings };

export type RejectReason = 'open' | 'forced-open' | 'half-open-no-permit' | 'bulkhead-full';
export type FallbackReason = RejectReason | 'timeout' | 'failure';

/** What a fallback learns about why it runs. */
export interface FallbackContext {
  readonly reason: FallbackReason;
  readonly circuit: { readonly name: string; readonly state: CircuitStateName; readonly retryAfterMs: number };
  /** The error of a failed call, when it threw. */
  readonly error?: unknown;
  /** The result of a call classified as failed (e.g. an HTTP 503 response). */
  readonly result?: unknown;
}

/** The protected call: `run` must honour `signal`; `isFailureResult` marks a returned value as failed (HTTP 5xx). */
export interface ProtectedCall<R> {
  run(signal: AbortSignal): Promise<R>;
  isFailureResult?(result: R): boolean;
  isFailureError?(error: unknown): boolean;
}

export interface ProtectOptions<R> {
  /** `context.getRemainingTimeInMillis()`; the call gets at most this minus the safety margin. */
  readonly remainingMs?: number;
  readonly fallback?: (context: FallbackContext) => Promise<R>;
}

export interface Clock {
  now(): number;
}

export type MetricUnitName = 'Count' | 'Milliseconds' | 'None';

/** Where the breaker reports metrics and log records; `index.ts` wires Powertools Metrics and Logger. */
export interface BreakerEvents {
  metric(name: string, unit: MetricUnitName, value: number): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, attributes: Record<string, unknown>): void;
}

export interface BreakerDependencies {
  readonly settings: BreakerSettings;
  readonly store: StateStore;
  /** Identifies this execution environment in the state item (`updatedBy`). */
  readonly envId: string;
  readonly clock?: Clock;
  /** [0, 1), for jitter. */
  readonly random?: () => number;
  readonly events?: BreakerEvents;
}
