import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLogger, createMetrics } from '../shared';
import { BatchConsumerOptions, createBatchConsumer } from './consumer';

/** The shared Powertools tools a consumer's record handler may use. */
export interface ConsumerTools {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * A Lambda handler for a fan-out queue: the batch engine wired with the shared logger and
 * metrics of `serviceName`, the Lambda context added to every log record. `configure`
 * gets the tools and returns the engine's options (record handler, limits).
 */
export function createConsumerHandler(
  serviceName: string,
  configure: (tools: ConsumerTools) => Omit<BatchConsumerOptions, 'logger' | 'metrics'>,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const tools: ConsumerTools = { logger: createLogger(serviceName), metrics: createMetrics(serviceName) };
  const consume = createBatchConsumer({ ...configure(tools), ...tools });
  return async (event, context) => {
    tools.logger.addContext(context);
    return consume(event, context);
  };
}
