import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createLogger } from './logger';
import { createMetrics } from './metrics';

/** The Powertools tools of one handler, shared by all of its invocations. */
export interface HandlerTools {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** One invocation: the event and (on Lambda) the context. */
export type Invocation<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * The one wiring of every handler of the library: `setup` runs once at init with the
 * logger and metrics of `serviceName` and returns the invocation logic. Each invocation
 * then gets the Lambda context in every log record, its metrics published when it ends,
 * however it ends, and a thrown error logged once (name, code, message) unless `quiet`
 * says it is an answer (e.g. an authorizer's `Unauthorized`).
 */
export function createHandler<E, R>(
  serviceName: string,
  setup: (tools: HandlerTools) => Invocation<E, R>,
  quiet?: (error: unknown) => boolean,
): Invocation<E, R> {
  const tools: HandlerTools = { logger: createLogger(serviceName), metrics: createMetrics(serviceName) };
  const invoke = setup(tools);
  return async (event, context) => {
    if (context) tools.logger.addContext(context);
    try {
      return await invoke(event, context);
    } catch (error) {
      if (!quiet?.(error)) {
        const { name, code, message } = error as { name?: string; code?: string; message?: string };
        tools.logger.error('invocation failed', { error: { name, code, message } });
      }
      throw error;
    } finally {
      if (tools.metrics.hasStoredMetrics()) tools.metrics.publishStoredMetrics();
    }
  };
}
