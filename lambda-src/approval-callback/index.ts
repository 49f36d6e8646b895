import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { CallbackResponse, handleCallback } from './callback';
import { SecretReferenceKeySource } from '../approval-shared/key-source';
import { callbackSettings } from '../approval-shared/settings';
import { ApprovalStore } from '../approval-shared/store';
import { createHandler } from '../shared/handler';

// The approval callback behind the workflow's function URL. Wiring only; see callback.ts.
const settings = callbackSettings();

export const handler = createHandler<LambdaFunctionURLEvent, CallbackResponse>('approval-callback', ({ logger, metrics }) => {
  const deps = {
    settings,
    store: new ApprovalStore(new DynamoDBClient({}), settings.tableName),
    sfn: new SFNClient({}),
    keys: new SecretReferenceKeySource(new SSMClient({}), settings.keySecretName),
    logger,
    now: Date.now,
    count: (metric: string) => metrics.addMetric(metric, MetricUnit.Count, 1),
  };
  return async (event) => {
    const response = await handleCallback(event, deps);
    logger.info('request served', { method: event.requestContext?.http?.method, route: event.rawPath?.replace(/\/approvals\/[^/]+/, '/approvals/{id}'), status: response.statusCode });
    return response;
  };
});
