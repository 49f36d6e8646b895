import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { CallbackResponse, handleCallback } from './callback';
import { approvalDependencies } from '../approval-shared/dependencies';
import { callbackSettings } from '../approval-shared/settings';
import { stepFunctions } from '../shared/aws/step-functions';
import { createHandler } from '../shared/handler';

// The approval callback behind the workflow's function URL. Wiring only; see callback.ts.
const settings = callbackSettings();
// At most six AWS calls per request, each bounded (retries included), so the answer comes
// well within the 29 s an HTTP caller waits.
const aws = { timeoutMs: 4_000 };

export const handler = createHandler<LambdaFunctionURLEvent, CallbackResponse>('approval-callback', ({ logger, metrics }) => {
  const deps = {
    ...approvalDependencies(settings, logger, aws),
    settings,
    sfn: stepFunctions(aws),
    count: (metric: string) => metrics.addMetric(metric, MetricUnit.Count, 1),
  };
  return async (event) => {
    const response = await handleCallback(event, deps);
    logger.info('request served', { method: event.requestContext?.http?.method, route: event.rawPath?.replace(/\/approvals\/[^/]+/, '/approvals/{id}'), status: response.statusCode });
    return response;
  };
});
