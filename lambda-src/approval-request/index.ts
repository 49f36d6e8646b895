import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ApprovalRequestResult, asTaskError, requestApproval } from './request';
import { SecretReferenceKeySource } from '../approval-shared/key-source';
import { requestSettings } from '../approval-shared/settings';
import { ApprovalStore } from '../approval-shared/store';
import { createHandler } from '../shared/handler';

// Invoked by the workflow's RequestApproval task (lambda:invoke.waitForTaskToken). Wiring only.
const settings = requestSettings();

export const handler = createHandler<unknown, ApprovalRequestResult>('approval-request', ({ logger, metrics }) => {
  const deps = {
    settings,
    store: new ApprovalStore(new DynamoDBClient({}), settings.tableName),
    sns: new SNSClient({}),
    keys: new SecretReferenceKeySource(new SSMClient({}), settings.keySecretName),
    logger,
    now: Date.now,
  };
  return async (event) => {
    try {
      const result = await requestApproval(event, deps);
      if (result.notified) metrics.addMetric('ApprovalsRequested', MetricUnit.Count, 1);
      return result;
    } catch (err) {
      // The workflow retries only the errors asTaskError marks transient.
      throw asTaskError(err);
    }
  };
});
