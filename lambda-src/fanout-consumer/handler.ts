import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BatchConsumerOptions, createBatchConsumer } from './consumer';
import { createHandler, HandlerTools, Invocation } from '../shared/handler';

/**
 * A Lambda handler for a fan-out queue: the batch engine on the library's one handler
 * wrapper (shared/handler.ts). `configure` gets the logger and metrics of `serviceName`
 * and returns the engine's options (record handler, limits).
 */
export function createConsumerHandler(
  serviceName: string,
  configure: (tools: HandlerTools) => Omit<BatchConsumerOptions, 'logger' | 'metrics'>,
): Invocation<SQSEvent, SQSBatchResponse> {
  return createHandler(serviceName, (tools) => createBatchConsumer({ ...configure(tools), ...tools }));
}
