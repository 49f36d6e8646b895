import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ApprovalRequestResult, asTaskError, requestApproval } from './request';
import { approvalDependencies } from '../approval-shared/dependencies';
import { requestSettings } from '../approval-shared/settings';
import { sns } from '../shared/aws/sns';
import { createHandler } from '../shared/handler';

// Invoked by the workflow's RequestApproval task (lambda:invoke.waitForTaskToken). Wiring only.
const settings = requestSettings();

export const handler = createHandler<unknown, ApprovalRequestResult>('approval-request', ({ logger, metrics }) => {
  const deps = { ...approvalDependencies(settings, logger), settings, sns: sns() };
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
