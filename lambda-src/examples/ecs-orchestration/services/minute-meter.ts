const MINUTE_MS = 60_000;

/**
 * Counts events in whole-minute windows and hands each finished window over once, with a
 * value (possibly 0) for every metric it was created with: a task publishes exactly one
 * datapoint per metric and minute, stamped with the minute's start, so CloudWatch's
 * `Average` over one-minute periods is the per-task figure.
 */
export class MinuteMeter {
  private windowStart: number;
  private counts: Record<string, number>;

  constructor(private readonly metricNames: readonly string[], private readonly now: () => number) {
    this.windowStart = floorToMinute(now());
    this.counts = this.zero();
  }

  /** Count `n` events of `metric` in the current minute. */
  public add(metric: string, n = 1): void {
    this.rollOver();
    if (!(metric in this.counts)) throw new Error(`unknown metric ${metric}; the meter counts ${this.metricNames.join(', ')}`);
    this.counts[metric] += n;
  }

  /** Finished windows since the last call (oldest first), as [window start, counts]. */
  public takeFinished(): Array<[number, Record<string, number>]> {
    return this.rollOver();
  }

  /** Every window including the current, partial one (at shutdown). */
  public takeAll(): Array<[number, Record<string, number>]> {
    const finished = this.rollOver();
    const current: [number, Record<string, number>] = [this.windowStart, this.counts];
    this.counts = this.zero();
    return [...finished, current];
  }

  /** Milliseconds until the current window closes. */
  public msUntilNextWindow(): number {
    return this.windowStart + MINUTE_MS - this.now();
  }

  private rollOver(): Array<[number, Record<string, number>]> {
    const finished: Array<[number, Record<string, number>]> = [];
    const nowWindow = floorToMinute(this.now());
    if (nowWindow > this.windowStart) {
      finished.push([this.windowStart, this.counts]);
      // Idle minutes in between still publish zeros: scale-in needs data, not silence.
      for (let start = this.windowStart + MINUTE_MS; start < nowWindow; start += MINUTE_MS) finished.push([start, this.zero()]);
      this.windowStart = nowWindow;
      this.counts = this.zero();
    }
    return finished;
  }

  private zero(): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((name) => [name, 0]));
  }
}

function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
