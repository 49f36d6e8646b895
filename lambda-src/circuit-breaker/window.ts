/** Aggregate of the local window: calls, failures and slow calls in the last `windowMs`. */
export interface WindowTotals {
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
}

/**
 * A time window of `buckets` epoch-aligned buckets with subtract-on-evict: recording and
 * reading are O(1) amortised, memory is O(buckets), and no latency is stored. Expiry is
 * computed from the clock on access, so a frozen Lambda environment cannot carry stale
 * counts into a later invocation (there is no timer to stop).
 */
export class LocalWindow {
  private readonly bucketMs: number;
  private readonly starts: number[];
  private readonly calls: number[];
  private readonly failures: number[];
  private readonly slow: number[];
  private total = { calls: 0, failures: 0, slow: 0 };

  constructor(windowMs: number, private readonly buckets: number) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / buckets));
    this.starts = new Array(buckets).fill(-Infinity);
    this.calls = new Array(buckets).fill(0);
    this.failures = new Array(buckets).fill(0);
    this.slow = new Array(buckets).fill(0);
  }

  public record(now: number, failure: boolean, slow: boolean): WindowTotals {
    const i = this.bucketFor(now);
    this.calls[i] += 1;
    this.total.calls += 1;
    if (failure) {
      this.failures[i] += 1;
      this.total.failures += 1;
    }
    if (slow) {
      this.slow[i] += 1;
      this.total.slow += 1;
    }
    return this.totals(now);
  }

  public totals(now: number): WindowTotals {
    this.evict(now);
    return { ...this.total };
  }

  public reset(): void {
    this.starts.fill(-Infinity);
    this.calls.fill(0);
    this.failures.fill(0);
    this.slow.fill(0);
    this.total = { calls: 0, failures: 0, slow: 0 };
  }

  private bucketFor(now: number): number {
    this.evict(now);
    const start = Math.floor(now / this.bucketMs) * this.bucketMs;
    const i = Math.floor(now / this.bucketMs) % this.buckets;
    if (this.starts[i] !== start) {
      this.clear(i);
      this.starts[i] = start;
    }
    return i;
  }

  /** Drop every bucket that started before the window that ends at `now`. */
  private evict(now: number): void {
    const oldest = Math.floor(now / this.bucketMs) * this.bucketMs - (this.buckets - 1) * this.bucketMs;
    for (let i = 0; i < this.buckets; i++) {
      if (this.starts[i] < oldest && this.starts[i] !== -Infinity) this.clear(i);
    }
  }

  private clear(i: number): void {
    this.total.calls -= this.calls[i];
    this.total.failures -= this.failures[i];
    this.total.slow -= this.slow[i];
    this.calls[i] = 0;
    this.failures[i] = 0;
    this.slow[i] = 0;
    this.starts[i] = -Infinity;
  }
}
