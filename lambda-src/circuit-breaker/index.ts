import { randomUUID } from 'node:crypto';
import { Breaker, BreakerEvents } from './breaker';
import { loadSettings } from './config';
import { CircuitOpenError, CircuitTimeoutError } from './errors';
import { InvalidRequestError, isHttpEvent } from './http-request';
import { DynamoStateStore } from './store';
import { breakerAnswer, fallbackFor, targetCall } from './targets';
import { dynamoDb } from '../shared/aws/dynamodb';
import { Lambda, lambda as lambdaApi } from '../shared/aws/lambda';
import { createHandler } from '../shared/handler';

// Wiring only: settings (validated at init), clients and one Breaker per execution
// environment. The behaviour lives in breaker.ts.
const settings = loadSettings();

export const handler = createHandler<unknown, unknown>('circuit-breaker', ({ logger, metrics }) => {
  metrics.setDefaultDimensions({ Circuit: settings.name });
  // The breaker's unit names are CloudWatch's: Count, Milliseconds, None.
  const metric = (name: string, unit: string, value: number) => metrics.addMetric(name, unit as Parameters<typeof metrics.addMetric>[1], value);
  // Only Lambda targets and fallbacks use it; the breaker's call timeout bounds each invoke.
  let lambdaClient: Lambda | undefined;
  const lambda = (): Lambda => (lambdaClient ??= lambdaApi({ timeoutMs: settings.callTimeoutMs }));
  const store = new DynamoStateStore({
    client: dynamoDb({ maxAttempts: settings.storeMaxAttempts, timeoutMs: settings.storeTimeoutMs * settings.storeMaxAttempts }),
    tableName: settings.tableName,
    circuit: settings.name,
    timeoutMs: settings.storeTimeoutMs * settings.storeMaxAttempts,
    // Store errors reach the breaker, which counts them (StateStoreErrors) and logs them at WARN.
    observer: (operation, ms) => {
      metric(operation === 'GetItem' || operation === 'ReadWindow' ? 'StateStoreReads' : 'StateStoreWrites', 'Count', 1);
      metric('StateStoreLatency', 'Milliseconds', ms);
    },
  });
  const events: BreakerEvents = { metric, log: (level, message, attributes) => logger[level](message, attributes) };
  const breaker = new Breaker({ settings, store, envId: randomUUID(), events });
  if (settings.prefetchOnInit) breaker.prefetch();

  return async (event, context) => {
    try {
      return await breaker.protect(targetCall(settings.target, event, lambda), {
        remainingMs: context?.getRemainingTimeInMillis?.(),
        fallback: fallbackFor(settings.fallback, event, lambda),
      });
    } catch (error) {
      // Without a fallback, HTTP callers get a proper HTTP answer; other event sources get the error (SQS backs off).
      if (!isHttpEvent(event)) throw error;
      if (error instanceof InvalidRequestError) {
        // The caller's mistake, refused before the circuit was consulted: no fallback, nothing counted.
        logger.info('request refused: it cannot be sent to the target', { error: error.message });
        return breakerAnswer(400, settings.name, error.message);
      }
      if (error instanceof CircuitOpenError) {
        return breakerAnswer(503, settings.name, 'Service temporarily unavailable', { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) });
      }
      if (error instanceof CircuitTimeoutError) return breakerAnswer(504, settings.name, 'Upstream timed out');
      throw error;
    }
  };
});
