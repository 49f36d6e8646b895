/** Aggregate of the local window: calls, failures and slow calls in the last `windowMs`. */
export interface WindowTotals {
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
}

/**
 * A time window of `buckets` epoch-aligned buckets of counts: memory is O(buckets), no
 * latency is stored, and recording or reading costs O(buckets) (10 by default). Expiry is
 * computed from the clock on access, so a frozen Lambda environment cannot carry stale
 * counts into a later invocation (there is no timer to stop).
 */
export class LocalWindow {
  private readonly bucketMs: number;
  /** Per bucket: [start, calls, failures, slow]. */
  private readonly slots: number[][];

  constructor(windowMs: number, private readonly buckets: number) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / buckets));
    this.slots = Array.from({ length: buckets }, () => [-Infinity, 0, 0, 0]);
  }

  public record(now: number, failure: boolean, slow: boolean): WindowTotals {
    const index = Math.floor(now / this.bucketMs);
    const slot = this.slots[index % this.buckets];
    if (slot[0] !== index) slot.splice(0, 4, index, 0, 0, 0);
    slot[1]++;
    if (failure) slot[2]++;
    if (slow) slot[3]++;
    return this.totals(now);
  }

  public totals(now: number): WindowTotals {
    const oldest = Math.floor(now / this.bucketMs) - this.buckets + 1;
    let calls = 0;
    let failures = 0;
    let slow = 0;
    for (const [index, c, f, s] of this.slots) {
      if (index < oldest) continue;
      calls += c;
      failures += f;
      slow += s;
    }
    return { calls, failures, slow };
  }

  public reset(): void {
    for (const slot of this.slots) slot.splice(0, 4, -Infinity, 0, 0, 0);
  }
}
