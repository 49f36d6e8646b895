import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { JsonConfig } from '../../lambda-src/shared/config';
import { ApprovalWorkflow } from '../../src/workflow';
import { APPROVAL_CALLBACK_SETTINGS_VARIABLE, CallbackSettings, parseCallbackSettings } from '../../src/workflow/approval-callback-settings';
import { APPROVAL_REQUEST_SETTINGS_VARIABLE, parseRequestSettings, RequestSettings } from '../../src/workflow/approval-request-settings';
import { synthesizedSettings, TOKEN, withRenamedKey } from '../helpers/settings-contract';

// The contracts between ApprovalWorkflow / ApprovalCallbackApi and the two approval
// handlers: what the constructs synthesize, each handler's own parser reads as the props asked for.
function synthesize(): Template {
  const stack = new Stack(new App(), 'Stack');
  new ApprovalWorkflow(stack, 'Approval', {
    approvers: ['ops@example.com'],
    approvalTimeout: Duration.hours(6),
    onApproved: new sfn.Pass(stack, 'Charge'),
    stateMachineName: 'large-orders',
    auditRetentionDays: 30,
    summaryFields: { orderId: '$.orderId', amount: '$.amount' },
  });
  return Template.fromStack(stack);
}

const parseRequest = (document: Record<string, unknown>) => parseRequestSettings(new JsonConfig(APPROVAL_REQUEST_SETTINGS_VARIABLE, document));
const parseCallback = (document: Record<string, unknown>) => parseCallbackSettings(new JsonConfig(APPROVAL_CALLBACK_SETTINGS_VARIABLE, document));
const requestDocument = () => synthesizedSettings(synthesize(), APPROVAL_REQUEST_SETTINGS_VARIABLE, /^Stores an approval request/);
const callbackDocument = () => synthesizedSettings(synthesize(), APPROVAL_CALLBACK_SETTINGS_VARIABLE, /^Approval callback/);

const EXPECTED_REQUEST: Partial<RequestSettings> = {
  tableName: TOKEN,
  topicArn: TOKEN,
  callbackUrl: TOKEN,
  keySecretName: expect.stringMatching(/^approval-link-key\//),
  timeoutSeconds: 6 * 3600,
  workflowName: 'large-orders',
  auditRetentionDays: 30,
  summaryFields: { orderId: '$.orderId', amount: '$.amount' },
};
const EXPECTED_CALLBACK: Partial<CallbackSettings> = {
  tableName: TOKEN, keySecretName: expect.stringMatching(/^approval-link-key\//), workflowName: 'large-orders',
};

describe('approval settings contracts', () => {
  test('the request handler parses the synthesized settings into the table, topic, link key, timeout, audit retention and summary fields asked for', () => {
    expect(parseRequest(requestDocument())).toMatchObject(EXPECTED_REQUEST);
  });

  test('the callback handler parses the synthesized settings into the table, link key and workflow name', () => {
    expect(parseCallback(callbackDocument())).toMatchObject(EXPECTED_CALLBACK);
  });

  test('a field the construct renamed would fail each contract', () => {
    expect(() => expect(parseRequest(withRenamedKey(requestDocument(), 'auditRetentionDays', 'auditDays'))).toMatchObject(EXPECTED_REQUEST)).toThrow();
    expect(() => parseCallback(withRenamedKey(callbackDocument(), 'workflowName', 'name'))).toThrow(/workflowName must be a non-empty string/);
  });
});
