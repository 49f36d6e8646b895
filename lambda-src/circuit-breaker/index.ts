import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createLogger, createMetrics } from '../shared';
import { Breaker, BreakerEvents } from './breaker';
import { loadSettings } from './config';
import { CircuitOpenError, CircuitTimeoutError } from './errors';
import { DynamoStateStore } from './store';
import { fallbackFor, isHttpEvent, targetCall, unavailable } from './targets';
import { dynamoDb } from '../shared/aws/dynamodb';
import { Lambda, lambda as lambdaApi } from '../shared/aws/lambda';

// Wiring only: settings (validated at init), clients, Powertools Logger + Metrics, and one
// Breaker per execution environment. The behaviour lives in breaker.ts.
const settings = loadSettings();
const logger = createLogger('circuit-breaker');
const metrics = createMetrics('circuit-breaker');
metrics.setDefaultDimensions({ Circuit: settings.name });

const dynamo = dynamoDb({ maxAttempts: settings.storeMaxAttempts, timeoutMs: settings.storeTimeoutMs * settings.storeMaxAttempts });
// Only Lambda targets and fallbacks use it; the breaker's call timeout bounds each invoke.
let lambdaClient: Lambda | undefined;
const lambda = (): Lambda => (lambdaClient ??= lambdaApi({ timeoutMs: settings.callTimeoutMs }));

const events: BreakerEvents = {
  // The breaker's unit names are CloudWatch's: Count, Milliseconds, None.
  metric: (name, unit, value) => metrics.addMetric(name, unit as Parameters<typeof metrics.addMetric>[1], value),
  log: (level, message, attributes) => logger[level](message, attributes),
};
const store = new DynamoStateStore({
  client: dynamo,
  tableName: settings.tableName,
  circuit: settings.name,
  timeoutMs: settings.storeTimeoutMs * settings.storeMaxAttempts,
  // Store errors reach the breaker, which counts them (StateStoreErrors) and logs them at WARN.
  observer: (operation, ms) => {
    metrics.addMetric(operation === 'GetItem' || operation === 'ReadWindow' ? 'StateStoreReads' : 'StateStoreWrites', MetricUnit.Count, 1);
    metrics.addMetric('StateStoreLatency', MetricUnit.Milliseconds, ms);
  },
});
const breaker = new Breaker({ settings, store, envId: randomUUID(), events });
if (settings.prefetchOnInit) breaker.prefetch();

export async function handler(event: unknown, context: Context): Promise<unknown> {
  logger.addContext(context);
  try {
    return await breaker.protect(targetCall(settings.target, event, lambda), {
      remainingMs: context.getRemainingTimeInMillis?.(),
      fallback: fallbackFor(settings.fallback, event, lambda),
    });
  } catch (error) {
    // Without a fallback, HTTP callers get a proper HTTP answer; other event sources get the error (SQS backs off).
    if (!isHttpEvent(event)) throw error;
    if (error instanceof CircuitOpenError) return unavailable(settings.name, error.retryAfterMs);
    if (error instanceof CircuitTimeoutError) return unavailable(settings.name);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
}
