import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Database, DbStats, QueryOptions } from './database';

/** The part of the Lambda context a database handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Statements end 500 ms before the invocation would: Lambda would freeze them mid-flight. */
const FREEZE_MARGIN_MS = 500;

/** Statement options for one invocation: at most `queryTimeoutMs`, and never past the invocation's deadline. */
export function statementOptions(context: InvocationContext | undefined, queryTimeoutMs: number): QueryOptions {
  const remaining = context ? context.getRemainingTimeInMillis() - FREEZE_MARGIN_MS : queryTimeoutMs;
  return { timeoutMs: Math.max(1, Math.min(queryTimeoutMs, remaining)) };
}

/**
 * Records the runtime's counters of one invocation as metrics (the handler wrapper
 * publishes them): statements, connects, reconnects, stale connections detected and IAM
 * tokens minted since the previous call. Call the returned function when an invocation ends.
 */
export function databaseMetricsRecorder(db: Database, metrics: Metrics | undefined, tokenMints?: () => number): () => void {
  let last: DbStats = { ...db.stats };
  let lastMints = tokenMints?.() ?? 0;
  return () => {
    if (!metrics) return;
    const now = db.stats;
    const mints = tokenMints?.() ?? 0;
    metrics.addMetric('DbQueries', MetricUnit.Count, now.queries - last.queries);
    metrics.addMetric('DbConnects', MetricUnit.Count, now.connects - last.connects);
    metrics.addMetric('DbReconnects', MetricUnit.Count, now.reconnects - last.reconnects);
    metrics.addMetric('DbStaleDetected', MetricUnit.Count, now.staleDetected - last.staleDetected);
    metrics.addMetric('IamTokenMints', MetricUnit.Count, mints - lastMints);
    last = { ...now };
    lastMints = mints;
  };
}
