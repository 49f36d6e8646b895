import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { SecretReferenceKeySource } from '../approval-shared/key-source';
import { callbackSettings } from '../approval-shared/settings';
import { ApprovalStore } from '../approval-shared/store';
import { createLogger, createMetrics } from '../shared';
import { CallbackResponse, handleCallback } from './callback';
import { dynamoDb } from '../shared/aws/dynamodb';
import { ssm } from '../shared/aws/ssm';
import { stepFunctions } from '../shared/aws/step-functions';

// The approval callback behind the workflow's function URL. Wiring only; see callback.ts.
const settings = callbackSettings();
const logger = createLogger('approval-callback');
const metrics = createMetrics('approval-callback');
// At most six AWS calls per request, each bounded (retries included), so the answer comes
// well within the 29 s an HTTP caller waits.
const aws = { timeoutMs: 4_000 };
const deps = {
  settings,
  store: new ApprovalStore(dynamoDb(aws), settings.tableName),
  sfn: stepFunctions(aws),
  keys: new SecretReferenceKeySource(ssm(aws), settings.keySecretName),
  logger,
  now: Date.now,
  count: (metric: string) => metrics.addMetric(metric, MetricUnit.Count, 1),
};

export async function handler(event: LambdaFunctionURLEvent, context: Context): Promise<CallbackResponse> {
  logger.addContext(context);
  try {
    const response = await handleCallback(event, deps);
    logger.info('request served', { method: event.requestContext?.http?.method, route: event.rawPath?.replace(/\/approvals\/[^/]+/, '/approvals/{id}'), status: response.statusCode });
    return response;
  } finally {
    metrics.publishStoredMetrics();
  }
}
