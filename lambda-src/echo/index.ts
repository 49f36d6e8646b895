import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createLogger, createMetrics } from '../shared';

// The smallest handler that exercises the whole pipeline: bundled by esbuild into
// assets/echo, deployed by the example stack and invoked by the sample integ test. It
// answers with what it received, logs structurally (secrets fingerprinted) and emits
// one EMF metric.
const logger = createLogger('echo');
const metrics = createMetrics('echo');

export interface EchoResponse {
  readonly echo: unknown;
  readonly requestId: string;
  readonly node: string;
}

export async function handler(event: unknown, context: Context): Promise<EchoResponse> {
  logger.addContext(context);
  logger.info('echo request', { event });
  metrics.addMetric('EchoRequests', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return { echo: event, requestId: context.awsRequestId, node: process.version };
}
