import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { SecretReferenceKeySource } from '../approval-shared/key-source';
import { requestSettings } from '../approval-shared/settings';
import { ApprovalStore } from '../approval-shared/store';
import { createLogger, createMetrics } from '../shared';
import { ApprovalRequestResult, asTaskError, requestApproval } from './request';

// Invoked by the workflow's RequestApproval task (lambda:invoke.waitForTaskToken). Wiring only.
const settings = requestSettings();
const logger = createLogger('approval-request');
const metrics = createMetrics('approval-request');
const deps = {
  settings,
  store: new ApprovalStore(new DynamoDBClient({}), settings.tableName),
  sns: new SNSClient({}),
  keys: new SecretReferenceKeySource(new SSMClient({}), settings.keySecretName),
  logger,
  now: Date.now,
};

export async function handler(event: unknown, context: Context): Promise<ApprovalRequestResult> {
  logger.addContext(context);
  try {
    const result = await requestApproval(event, deps);
    if (result.notified) metrics.addMetric('ApprovalsRequested', MetricUnit.Count, 1);
    return result;
  } catch (err) {
    const error = asTaskError(err);
    logger.error('approval request failed', { error: { name: error.name, message: error.message } });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
}
