import { Admission, claimPermit, PASS, reject, rejectFor } from './admission';
import { BulkheadFullError, CircuitOpenError, CircuitTimeoutError, FallbackError } from './errors';
import { isFailedOutcome } from './failures';
import { invokeWithTimeout } from './invoke';
import { CircuitItem, CircuitStateName, CLOSED_ITEM, StateStore } from './store';
import { fleetFailureEstimate, openDuration, probeVerdict, tripReason } from './transitions';
import { BreakerDependencies, BreakerEvents, BreakerSettings, Clock, FallbackReason, ProtectedCall, ProtectOptions } from './types';
import { LocalWindow } from './window';

// Importers keep using './breaker' for the breaker's whole public surface.
export { isFailureError, isFailureStatus } from './failures';
export * from './types';

/** The immutable view of the circuit this environment acts on; replaced as a whole, never mutated. */
interface Snapshot extends CircuitItem {
  /** Set when the state was decided locally because the store failed: kept until the store shows a newer version or this passes. */
  readonly localUntil?: number;
}

export const STATE_VALUES: Record<CircuitStateName, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2, FORCED_OPEN: 3, DISABLED: 4 };
const STATE_METRIC_INTERVAL_MS = 60_000;
const WARN_INTERVAL_MS = 10_000;
const NOOP_EVENTS: BreakerEvents = { metric() {}, log() {} };

/**
 * A circuit breaker whose state is shared by every execution environment through a
 * {@link StateStore}, with an in-memory snapshot so the healthy CLOSED path awaits no
 * store request. One instance per environment (module scope); everything that belongs to
 * one call lives in that call's stack frame, so concurrent calls cannot mix. No timer
 * drives state: every expiry is computed from the clock when it is needed.
 */
export class Breaker {
  readonly #deps: BreakerDependencies;
  readonly #settings: BreakerSettings;
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #events: BreakerEvents;
  readonly #window: LocalWindow;

  #snapshot: Snapshot | undefined;
  #fetchedAt = -Infinity;
  #lastReadFailureAt = -Infinity;
  #refreshing: Promise<void> | undefined;
  #consecutiveFailures = 0;
  #unflushedFailures = 0;
  #unflushedSlow = 0;
  #lastFlushAt = -Infinity;
  #flushing: Promise<void> | undefined;
  #previousWindow: { start: number; failures: number } | undefined;
  #localTrial: { version: number; issued: number; ok: number; fail: number } | undefined;
  #inFlight = 0;
  #lastStateMetricAt = -Infinity;
  readonly #lastWarnAt = new Map<string, number>();

  constructor(deps: BreakerDependencies) {
    this.#deps = deps;
    this.#settings = deps.settings;
    this.#store = deps.store;
    this.#clock = deps.clock ?? { now: () => Date.now() };
    this.#random = deps.random ?? Math.random;
    this.#events = deps.events ?? NOOP_EVENTS;
    this.#window = new LocalWindow(this.#settings.windowMs, this.#settings.buckets);
  }

  /** The state this environment currently acts on. */
  public get state(): CircuitStateName {
    return this.#current.state;
  }

  get #current(): Snapshot {
    return this.#snapshot ?? CLOSED_ITEM;
  }

  /** Start reading the state now (INIT phase), so the first request usually finds a snapshot. */
  public prefetch(): void {
    void this.#refresh();
  }

  /** Resolves when no background store request of this environment is in flight (tests, benchmarks). */
  public async settled(): Promise<void> {
    while (this.#refreshing || this.#flushing) await Promise.allSettled([this.#refreshing, this.#flushing]);
  }

  /**
   * Call `call` through the circuit. Returns its result, or the fallback's when the call
   * is refused or fails (and a fallback is given). Store problems are never thrown.
   */
  public async protect<R>(call: ProtectedCall<R>, options: ProtectOptions<R> = {}): Promise<R> {
    const settings = this.#settings;
    if (settings.maxConcurrent > 0 && this.#inFlight >= settings.maxConcurrent) {
      this.#count('Rejected');
      return this.#fallbackOrThrow(options, { reason: 'bulkhead-full', retryAfterMs: 0 }, undefined, undefined,
        () => new BulkheadFullError(settings.name, settings.maxConcurrent));
    }
    this.#inFlight += 1;
    try {
      return await this.#protectAdmitted(call, options);
    } finally {
      this.#inFlight -= 1;
    }
  }

  async #protectAdmitted<R>(call: ProtectedCall<R>, options: ProtectOptions<R>): Promise<R> {
    const settings = this.#settings;
    const blocking = this.#ensureSnapshot(this.#clock.now());
    if (blocking) await blocking;
    // The CLOSED path stays synchronous: no extra promise, no store request.
    const admission = this.#current.state === 'CLOSED' ? PASS : await this.#admit(this.#clock.now());
    this.#emitStateIfDue();
    if (admission.kind === 'reject') {
      this.#count('Rejected');
      if (this.#random() < 0.01) this.#log('debug', 'call rejected', { reason: admission.reason });
      return this.#fallbackOrThrow(options, admission, undefined, undefined,
        () => new CircuitOpenError(settings.name, admission.reason, admission.retryAfterMs));
    }

    const timeoutMs = Math.max(1, Math.min(settings.callTimeoutMs, (options.remainingMs ?? Infinity) - settings.timeoutSafetyMarginMs));
    const outcome = await invokeWithTimeout(call, timeoutMs);
    const failed = isFailedOutcome(call, outcome);
    const slow = outcome.timedOut || outcome.ms >= settings.slowCallDurationMs;

    this.#count('Calls');
    this.#events.metric(failed ? 'Failures' : 'Successes', 'Count', 1);
    if (outcome.timedOut) this.#count('Timeouts');
    if (slow) this.#count('SlowCalls');
    this.#events.metric('CallLatency', 'Milliseconds', outcome.ms);

    const recording = this.#record(admission, failed, slow, this.#clock.now());
    if (recording) await recording;

    if (outcome.timedOut || (failed && settings.fallbackOnFailure && options.fallback)) {
      return this.#fallbackOrThrow(settings.fallbackOnFailure ? options : {}, { reason: outcome.timedOut ? 'timeout' : 'failure', retryAfterMs: 0 },
        outcome.error, outcome.result, () => new CircuitTimeoutError(settings.name, timeoutMs));
    }
    // A success, a failure without fallback (rethrown unchanged), or a client error (4xx): the caller's problem.
    if (outcome.threw) throw outcome.error;
    return outcome.result as R;
  }

  async #fallbackOrThrow<R>(
    options: ProtectOptions<R>,
    why: { reason: FallbackReason; retryAfterMs: number },
    error: unknown,
    result: unknown,
    otherwise: () => Error,
  ): Promise<R> {
    if (!options.fallback) throw otherwise();
    this.#count('FallbackInvocations');
    try {
      return await options.fallback({
        reason: why.reason,
        circuit: { name: this.#settings.name, state: this.state, retryAfterMs: why.retryAfterMs },
        error,
        result,
      });
    } catch (fallbackFailure) {
      this.#count('FallbackFailures');
      this.#log('error', 'fallback failed', { reason: why.reason, error: String(fallbackFailure) });
      throw new FallbackError(this.#settings.name, fallbackFailure, error ?? result ?? why.reason);
    }
  }

  // ---- snapshot --------------------------------------------------------------------------

  /** Returns a promise only when the call must wait for a read (no snapshot, or older than maxStaleMs). */
  #ensureSnapshot(now: number): Promise<void> | undefined {
    const age = now - this.#fetchedAt;
    if (this.#snapshot === undefined || age >= this.#settings.maxStaleMs) {
      // Block only when a read can help: not again right after one failed (the store is down).
      if (this.#refreshing || now - this.#lastReadFailureAt >= this.#settings.stateRefreshMs) return this.#refresh();
    } else if (age >= this.#settings.stateRefreshMs) {
      void this.#refresh(); // concurrently with the call: the healthy path awaits nothing
    }
    return undefined;
  }

  #refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const item = await this.#store.read(false);
        this.#adopt(item, 'read');
      } catch (error) {
        this.#lastReadFailureAt = this.#clock.now();
        this.#storeError('read', error);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Replace the snapshot with a store item unless it is older than what this environment knows. */
  #adopt(item: CircuitItem, source: string): void {
    const now = this.#clock.now();
    const current = this.#snapshot;
    this.#fetchedAt = now;
    if (current) {
      if (item.version < current.version && item.version !== 0) return; // a stale eventually consistent read
      if (current.localUntil !== undefined && item.version <= current.version && now < current.localUntil) return;
    }
    this.#snapshot = item;
    if (!current || current.version !== item.version || current.state !== item.state) this.#transitionSeen(current, item, source);
  }

  #transitionSeen(from: CircuitItem | undefined, to: CircuitItem, source: string): void {
    // A new CLOSED period starts from a clean slate: old failures must not re-trip it.
    if ((to.state === 'CLOSED' || to.state === 'DISABLED') && from && from.state !== 'CLOSED') this.#resetCounters();
    if (to.state !== 'HALF_OPEN' && to.state !== 'OPEN') this.#localTrial = undefined;
    this.#lastStateMetricAt = -Infinity;
    if (from) this.#logTransition(from.state, to, { reason: to.reason || source, local: this.#window.totals(this.#clock.now()) });
  }

  #logTransition(from: CircuitStateName, to: CircuitItem, extra: Record<string, unknown>): void {
    this.#log('info', 'circuit transition', { from, to: to.state, ver: to.version, reason: to.reason, attempt: to.attempt, openUntil: to.openUntil, ...extra });
  }

  #resetCounters(): void {
    this.#window.reset();
    this.#consecutiveFailures = 0;
    this.#unflushedFailures = 0;
    this.#unflushedSlow = 0;
  }

  #emitStateIfDue(): void {
    const now = this.#clock.now();
    if (now - this.#lastStateMetricAt < STATE_METRIC_INTERVAL_MS) return;
    this.#lastStateMetricAt = now;
    this.#stateMetric(this.state);
  }

  // ---- admission -------------------------------------------------------------------------

  async #admit(now: number): Promise<Admission> {
    const s = this.#current;
    switch (s.state) {
      case 'CLOSED':
      case 'DISABLED':
        return { kind: 'pass' };
      case 'FORCED_OPEN':
        return rejectFor(s, now, this.#settings);
      case 'OPEN':
        if (now < s.openUntil) return rejectFor(s, now, this.#settings);
        return this.#acquirePermit(s, now);
      case 'HALF_OPEN':
        if (s.localUntil === undefined && s.hoIssued >= s.hoMax && s.leaseUntil >= now) {
          return rejectFor(s, now, this.#settings);
        }
        return this.#acquirePermit(s, now);
    }
  }

  async #acquirePermit(s: Snapshot, now: number): Promise<Admission> {
    const settings = this.#settings;
    if (s.localUntil === undefined) {
      try {
        let item = await claimPermit(this.#store, s, now, settings, this.#deps.envId);
        if (!item) {
          // Someone else moved first (dynalite never returns the item on a failed condition): look, then try once more.
          this.#adopt(await this.#store.read(true), 'contention');
          const fresh = this.#current;
          if (fresh.state === 'CLOSED' || fresh.state === 'DISABLED') return { kind: 'pass' };
          if (fresh.state === 'HALF_OPEN' && fresh.hoIssued < fresh.hoMax && fresh.leaseUntil >= now) item = await claimPermit(this.#store, fresh, now, settings, this.#deps.envId);
          if (!item) return rejectFor(this.#current, now, settings);
        }
        const before = this.#snapshot;
        this.#adopt(item, 'probe');
        if (before?.version !== item.version) {
          this.#count('StateTransitions');
          this.#stateMetric(item.state);
        }
        return { kind: 'pass', probe: { version: item.version, local: false } };
      } catch (error) {
        this.#storeError('claim-permit', error);
      }
    }
    // The store is unreachable: probe locally with this environment's own permits.
    if (!this.#localTrial || this.#localTrial.version !== s.version) this.#localTrial = { version: s.version, issued: 0, ok: 0, fail: 0 };
    if (this.#localTrial.issued < settings.halfOpenPermits) {
      this.#localTrial.issued += 1;
      return { kind: 'pass', probe: { version: s.version, local: true } };
    }
    return reject('half-open-no-permit', settings.stateRefreshMs);
  }

  // ---- outcomes --------------------------------------------------------------------------

  /** Returns a promise only when the outcome needs store requests the call must wait for (probe, trip, its own flush). */
  #record(admission: Admission & { kind: 'pass' }, failed: boolean, slow: boolean, now: number): Promise<void> | undefined {
    if (admission.probe) {
      return admission.probe.local ? this.#recordLocalProbe(failed, now) : this.#recordProbe(admission.probe.version, failed, now);
    }
    const s = this.#current;
    const totals = this.#window.record(now, failed, slow);
    if (s.state !== 'CLOSED') return undefined; // DISABLED is measured, never tripped
    this.#consecutiveFailures = failed ? this.#consecutiveFailures + 1 : 0;
    if (failed) this.#unflushedFailures += 1;
    if (slow) this.#unflushedSlow += 1;

    const settings = this.#settings;
    const reason = tripReason(totals, this.#consecutiveFailures, settings);
    if (reason) return this.#trip(reason, now);
    if (settings.fleetFailureThreshold > 0 && (this.#unflushedFailures > 0 || this.#unflushedSlow > 0) &&
      !this.#flushing && now - this.#lastFlushAt >= settings.fleetFlushIntervalMs) {
      const flush = this.#flush(now);
      // The failure path waits for its own flush (bounded by the store timeout): a frozen
      // environment would otherwise hold the count until it thaws. The healthy path never waits.
      if (failed || slow) return flush;
    }
    return undefined;
  }

  #flush(now: number): Promise<void> {
    this.#flushing ??= (async () => {
      const settings = this.#settings;
      const windowStart = Math.floor(now / settings.fleetWindowMs) * settings.fleetWindowMs;
      const failures = this.#unflushedFailures;
      const slow = this.#unflushedSlow;
      this.#unflushedFailures = 0;
      this.#unflushedSlow = 0;
      this.#lastFlushAt = now;
      try {
        const current = await this.#store.addFailures(windowStart, failures, slow, Math.ceil((windowStart + settings.fleetWindowMs) / 1000) + 3600);
        const previousStart = windowStart - settings.fleetWindowMs;
        if (this.#previousWindow?.start !== previousStart) {
          this.#previousWindow = { start: previousStart, failures: await this.#store.readWindow(previousStart).catch(() => 0) };
        }
        const estimate = fleetFailureEstimate(this.#previousWindow.failures, current, now, windowStart, settings.fleetWindowMs);
        if (estimate >= settings.fleetFailureThreshold) await this.#trip('fleet-failures', now, estimate);
      } catch (error) {
        // Keep the counts: the next flush carries them.
        this.#unflushedFailures += failures;
        this.#unflushedSlow += slow;
        this.#storeError('flush', error);
      } finally {
        this.#flushing = undefined;
      }
    })();
    return this.#flushing;
  }

  async #trip(reason: string, now: number, fleetEstimate?: number): Promise<void> {
    const s = this.#current;
    if (s.state !== 'CLOSED') return;
    const openUntil = now + openDuration(0, this.#settings, this.#random);
    try {
      const item = await this.#store.trip(now, openUntil, reason, this.#deps.envId);
      if (item) this.#won(item, fleetEstimate);
      else this.#adopt(await this.#store.read(true), 'contention');
    } catch (error) {
      this.#storeError('trip', error);
      this.#decideLocally({ ...s, state: 'OPEN', openedAt: now, openUntil, attempt: 0, reason, localUntil: openUntil });
    }
  }

  #won(item: CircuitItem, fleetEstimate?: number): void {
    this.#count('StateTransitions');
    this.#stateMetric(item.state);
    const before = this.#snapshot;
    this.#adopt(item, 'write');
    if (fleetEstimate !== undefined && before?.version !== item.version) {
      this.#log('info', 'fleet failures reached the threshold', { fleetEstimate });
    }
  }

  async #recordProbe(version: number, failed: boolean, now: number): Promise<void> {
    const settings = this.#settings;
    try {
      let item: CircuitItem | undefined;
      if (failed && settings.halfOpenMaxFailures === 0) {
        item = { ...(this.#current), version, hoFail: 1 };
      } else {
        item = await this.#store.recordProbe(version, !failed);
        if (!item) {
          // The lease moved on (expired and reclaimed, or another probe decided): our result no longer counts.
          this.#adopt(await this.#store.read(true), 'contention');
          return;
        }
        this.#adopt(item, 'probe');
      }
      const verdict = probeVerdict(item.hoOk, item.hoFail, settings);
      if (!verdict) return;
      const attempt = item.attempt + 1;
      const next = verdict === 'reopen'
        ? await this.#store.reopen(version, now, now + openDuration(attempt, settings, this.#random), attempt, 'probe-failed', this.#deps.envId)
        : await this.#store.close(version, now, this.#deps.envId);
      if (next) this.#won(next);
      else this.#adopt(await this.#store.read(true), 'contention');
    } catch (error) {
      // The lease expires and another environment probes again: nothing is stranded.
      this.#storeError('record-probe', error);
    }
  }

  async #recordLocalProbe(failed: boolean, now: number): Promise<void> {
    const trial = this.#localTrial;
    const s = this.#current;
    if (!trial) return;
    if (failed) trial.fail += 1;
    else trial.ok += 1;
    const verdict = probeVerdict(trial.ok, trial.fail, this.#settings);
    if (verdict === 'reopen') {
      const openUntil = now + openDuration(s.attempt + 1, this.#settings, this.#random);
      this.#decideLocally({ ...s, state: 'OPEN', openUntil, attempt: s.attempt + 1, reason: 'probe-failed', localUntil: openUntil });
    } else if (verdict === 'close') {
      this.#decideLocally({ ...s, state: 'CLOSED', reason: 'probes-succeeded', localUntil: now });
    }
  }

  /** A transition this environment makes on its own while the store is unreachable. */
  #decideLocally(next: Snapshot): void {
    const before = this.#current.state;
    this.#snapshot = next;
    this.#localTrial = undefined;
    if (next.state === 'CLOSED') this.#resetCounters();
    this.#stateMetric(next.state);
    this.#logTransition(before, next, { scope: 'local (state store unreachable)' });
  }

  #stateMetric(state: CircuitStateName): void {
    this.#events.metric('CircuitState', 'None', STATE_VALUES[state]);
  }

  #count(metric: string): void {
    this.#events.metric(metric, 'Count', 1);
  }

  /** A log record about this circuit. */
  #log(level: 'debug' | 'info' | 'warn' | 'error', message: string, attributes: Record<string, unknown>): void {
    this.#events.log(level, message, { source: 'circuit', circuit: this.#settings.name, ...attributes });
  }

  #storeError(operation: string, error: unknown): void {
    this.#count('StateStoreErrors');
    const code = `${operation}:${(error as { name?: string } | undefined)?.name ?? 'Error'}`;
    const now = this.#clock.now();
    if (now - (this.#lastWarnAt.get(code) ?? -Infinity) < WARN_INTERVAL_MS) return;
    this.#lastWarnAt.set(code, now);
    this.#log('warn', 'state store request failed; acting on the last known state', { operation, error: String(error) });
  }
}
