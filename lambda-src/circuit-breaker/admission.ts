import { CircuitItem, StateStore } from './store';
import { BreakerSettings, RejectReason } from './types';

/** The decision on one call: pass (as a half-open probe when `probe` is set, counted in the store or only locally) or reject. */
export type Admission =
  | { readonly kind: 'pass'; readonly probe?: { readonly version: number; readonly local: boolean } }
  | { readonly kind: 'reject'; readonly reason: RejectReason; readonly retryAfterMs: number };

export const PASS: Admission = { kind: 'pass' };
export const reject = (reason: RejectReason, retryAfterMs: number): Admission => ({ kind: 'reject', reason, retryAfterMs });

/** The refusal for a call in state `s`, with how long the caller should wait before trying again. */
export function rejectFor(s: CircuitItem, now: number, settings: BreakerSettings): Admission {
  if (s.state === 'FORCED_OPEN') return reject('forced-open', settings.stateRefreshMs);
  if (s.state === 'OPEN') return reject('open', Math.max(0, s.openUntil - now));
  return reject('half-open-no-permit', Math.max(0, s.leaseUntil - now) + 1);
}

/**
 * Claim a probe permit in the store: start a new half-open lease when none is live (the
 * circuit is OPEN or the last lease expired), else take a permit of the live one. Resolves
 * undefined when another environment moved first.
 */
export function claimPermit(
  store: StateStore, s: CircuitItem, now: number, settings: BreakerSettings, envId: string,
): Promise<CircuitItem | undefined> {
  if (s.state === 'OPEN' || s.leaseUntil < now) {
    return store.startLease(now, now + settings.probeLeaseMs, settings.halfOpenPermits, envId);
  }
  return store.takePermit(s.version, now);
}
