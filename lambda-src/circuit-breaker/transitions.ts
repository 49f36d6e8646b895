import { BreakerSettings } from './types';
import { WindowTotals } from './window';

/** Why a CLOSED circuit must open after this call, or undefined while it stays closed. Checked in this order. */
export function tripReason(totals: WindowTotals, consecutiveFailures: number, settings: BreakerSettings): string | undefined {
  if (totals.calls >= settings.minimumCalls && totals.failures * 100 >= settings.failureRateThreshold * totals.calls) return 'failure-rate';
  if (totals.calls >= settings.minimumCalls && totals.slow * 100 >= settings.slowCallRateThreshold * totals.calls) return 'slow-call-rate';
  if (settings.consecutiveFailureThreshold > 0 && consecutiveFailures >= settings.consecutiveFailureThreshold) return 'consecutive-failures';
  return undefined;
}

/** What the half-open probes so far decide: reopen, close, or (undefined) keep probing. Failures are checked first. */
export function probeVerdict(ok: number, fail: number, settings: BreakerSettings): 'reopen' | 'close' | undefined {
  if (fail > settings.halfOpenMaxFailures) return 'reopen';
  if (ok >= settings.halfOpenSuccessThreshold) return 'close';
  return undefined;
}

/**
 * How long the circuit stays OPEN on its `attempt`-th reopening (0 for a trip): exponential
 * backoff, capped, then jittered so environments that opened together do not probe together.
 */
export function openDuration(attempt: number, settings: BreakerSettings, random: () => number): number {
  const base = Math.min(settings.openDurationMs * settings.backoffMultiplier ** attempt, settings.maxOpenDurationMs);
  return Math.round(base * (1 + settings.jitter * (2 * random() - 1)));
}

/**
 * The fleet's failures over the last `fleetWindowMs`, estimated from two fixed windows: the
 * previous window's count weighted by the share of it still inside the sliding window, plus
 * the current window's count.
 */
export function fleetFailureEstimate(
  previousFailures: number, currentFailures: number, now: number, windowStart: number, fleetWindowMs: number,
): number {
  const elapsed = (now - windowStart) / fleetWindowMs;
  return previousFailures * (1 - elapsed) + currentFailures;
}
