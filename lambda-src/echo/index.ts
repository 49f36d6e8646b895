import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createHandler } from '../shared/handler';

// The smallest handler that exercises the whole pipeline: bundled by esbuild into
// assets/echo, deployed by the example stack and invoked by the sample integ test. It
// answers with what it received, logs structurally (secrets fingerprinted) and emits
// one EMF metric.

export interface EchoResponse {
  readonly echo: unknown;
  readonly requestId: string;
  readonly node: string;
}

export const handler = createHandler<unknown, EchoResponse>('echo', ({ logger, metrics }) => async (event: unknown, context: Context) => {
  logger.info('echo request', { event });
  metrics.addMetric('EchoRequests', MetricUnit.Count, 1);
  return { echo: event, requestId: context.awsRequestId, node: process.version };
});
