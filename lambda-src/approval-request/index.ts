import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { SecretReferenceKeySource } from '../approval-shared/key-source';
import { requestSettings } from '../approval-shared/settings';
import { ApprovalStore } from '../approval-shared/store';
import { createLogger, createMetrics } from '../shared';
import { ApprovalRequestResult, asTaskError, requestApproval } from './request';
import { dynamoDb } from '../shared/aws/dynamodb';
import { sns } from '../shared/aws/sns';
import { ssm } from '../shared/aws/ssm';

// Invoked by the workflow's RequestApproval task (lambda:invoke.waitForTaskToken). Wiring only.
const settings = requestSettings();
const logger = createLogger('approval-request');
const metrics = createMetrics('approval-request');
const deps = {
  settings,
  store: new ApprovalStore(dynamoDb(), settings.tableName),
  sns: sns(),
  keys: new SecretReferenceKeySource(ssm(), settings.keySecretName),
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
