import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { CallbackResponse, handleCallback } from './callback';
import { approvalDependencies } from '../approval-shared/dependencies';
import { callbackSettings } from '../approval-shared/settings';
import { createHandler } from '../shared/handler';

// The approval callback behind the workflow's function URL. Wiring only; see callback.ts.
const settings = callbackSettings();

export const handler = createHandler<LambdaFunctionURLEvent, CallbackResponse>('approval-callback', ({ logger, metrics }) => {
  const deps = {
    ...approvalDependencies(settings, logger),
    settings,
    sfn: new SFNClient({}),
    count: (metric: string) => metrics.addMetric(metric, MetricUnit.Count, 1),
  };
  return async (event) => {
    const response = await handleCallback(event, deps);
    logger.info('request served', { method: event.requestContext?.http?.method, route: event.rawPath?.replace(/\/approvals\/[^/]+/, '/approvals/{id}'), status: response.statusCode });
    return response;
  };
});
