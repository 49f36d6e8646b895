/** The value at percentile `p` (0-100) of an ascending array: nearest rank, no interpolation. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** What every benchmark reports about a set of samples. */
export interface SampleSummary {
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** The middle value; the mean of the two middle values for an even count. */
  readonly median: number;
}

/** Percentiles, extremes, mean and median of `samples` (not modified). */
export function summarize(samples: readonly number[]): SampleSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
  };
}
