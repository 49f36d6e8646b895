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
  /** Windows that closed and were not taken yet. */
  private finished: Array<[number, Record<string, number>]> = [];

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

  /** Windows finished since the last call (oldest first), as [window start, counts]. */
  public takeFinished(): Array<[number, Record<string, number>]> {
    this.rollOver();
    const finished = this.finished;
    this.finished = [];
    return finished;
  }

  /** Every window not taken yet, including the current, partial one (at shutdown). */
  public takeAll(): Array<[number, Record<string, number>]> {
    const windows = [...this.takeFinished(), [this.windowStart, this.counts] as [number, Record<string, number>]];
    this.counts = this.zero();
    return windows;
  }

  /** Milliseconds until the current window closes. */
  public msUntilNextWindow(): number {
    return this.windowStart + MINUTE_MS - this.now();
  }

  private rollOver(): void {
    const nowWindow = floorToMinute(this.now());
    if (nowWindow <= this.windowStart) return;
    this.finished.push([this.windowStart, this.counts]);
    // Idle minutes in between still publish zeros: scale-in needs data, not silence.
    for (let start = this.windowStart + MINUTE_MS; start < nowWindow; start += MINUTE_MS) this.finished.push([start, this.zero()]);
    this.windowStart = nowWindow;
    this.counts = this.zero();
  }

  private zero(): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((name) => [name, 0]));
  }
}

function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
