import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { ApprovalEngines, CALLBACK_URL, formBody, SECRET_NAME, startApprovalEngines, TASK_TOKEN, urlEvent } from './approval-harness';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { captureOutput, jsonLines } from '../helpers/capture-output';

// HA1: the task token appears nowhere but in the table. Runs the esbuild bundles as
// deployed (settings from APPROVAL_SETTINGS, SDK clients pointed at dynalite and the
// loopback AWS endpoint through AWS_ENDPOINT_URL_*), through a full request → review →
// decision → replay → forged-link sequence, and greps every log line, every rendered page
// and every published message for the token (and logs for the link signature).

let engines: ApprovalEngines;
const saved = { ...process.env };
const context = { awsRequestId: 'req-1', functionName: 'approval', invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:approval' } as Context;

beforeAll(async () => {
  engines = await startApprovalEngines();
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL_DYNAMODB: engines.dynamo.endpoint,
    AWS_ENDPOINT_URL_SFN: engines.aws.url,
    AWS_ENDPOINT_URL_SNS: engines.aws.url,
    AWS_ENDPOINT_URL_SSM: engines.aws.url,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  });
});
afterAll(async () => {
  process.env = saved;
  await engines.stop();
});

function load(handlerName: string, settings: Record<string, unknown>) {
  process.env.APPROVAL_SETTINGS = JSON.stringify(settings);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(ASSETS_DIR, handlerName, 'index.js')).handler;
}

test('the task token appears in no log line, page or message, and the link signature in no log line', async () => {
  const requestHandler = load('approval-request', {
    tableName: 'approvals',
    topicArn: 'arn:aws:sns:eu-central-1:123456789012:approvals',
    callbackUrl: CALLBACK_URL,
    keySecretName: SECRET_NAME,
    timeoutSeconds: 3600,
    workflowName: 'Orders',
  });
  const callbackHandler = load('approval-callback', { tableName: 'approvals', keySecretName: SECRET_NAME, workflowName: 'Orders' });

  const pages: string[] = [];
  let signature = '';
  const lines = await captureOutput(async () => {
    const result = await requestHandler({
      taskToken: TASK_TOKEN,
      executionArn: 'arn:aws:states:eu-central-1:123456789012:execution:Orders:exec-leak',
      stateName: 'RequestApproval',
      enteredTime: new Date().toISOString(),
      summary: { amount: 500 },
    }, context);
    const message = JSON.parse(engines.calls.find((c) => c.service === 'sns')!.body.Message);
    const link = new URL(/https:\/\/\S+/.exec(message.email)![0]);
    const e = link.searchParams.get('e')!;
    signature = link.searchParams.get('s')!;
    const id = result.approvalId;
    const call = async (event: ReturnType<typeof urlEvent>) => {
      const response = await callbackHandler(event, context);
      pages.push(String(response.body));
      return response.statusCode;
    };
    expect(await call(urlEvent('GET', `/approvals/${id}`, { query: link.search.slice(1) }))).toBe(200);
    expect(await call(urlEvent('POST', `/approvals/${id}/decision`, { body: formBody({ decision: 'approve', e, s: signature }), contentType: 'application/x-www-form-urlencoded' }))).toBe(200);
    expect(await call(urlEvent('POST', `/approvals/${id}/decision`, { body: formBody({ decision: 'approve', e, s: signature }), contentType: 'application/x-www-form-urlencoded' }))).toBe(200);
    expect(await call(urlEvent('POST', `/approvals/${id}/decision`, { body: formBody({ decision: 'reject', e, s: signature }), contentType: 'application/x-www-form-urlencoded' }))).toBe(409);
    expect(await call(urlEvent('POST', `/approvals/${id}/decision`, { body: formBody({ decision: 'approve', e, s: 'B'.repeat(43) }), contentType: 'application/x-www-form-urlencoded' }))).toBe(403);
    expect(await call(urlEvent('POST', `/approvals/${id}/decision`, { body: '{oops', contentType: 'application/json' }))).toBe(400);
  });

  // The sequence really ran: one SendTaskSuccess carrying the token, logs and metrics written.
  expect(engines.sendTaskCalls().map((c) => [c.action, c.body.taskToken === TASK_TOKEN])).toEqual([['SendTaskSuccess', true]]);
  const records = jsonLines(lines);
  expect(records.some((r) => r.message === 'approval requested')).toBe(true);
  expect(records.some((r) => r.message === 'decision recorded')).toBe(true);
  expect(records.some((r) => r.message === 'invalid link signature')).toBe(true);
  expect(records.some((r) => r._aws && r.ApprovalsApproved === 1)).toBe(true);

  const tokenFragment = TASK_TOKEN.slice(0, 40);
  const messages = engines.calls.filter((c) => c.service === 'sns').map((c) => JSON.stringify(c.body));
  expect(lines.filter((l) => l.includes(tokenFragment))).toEqual([]);
  expect(pages.filter((p) => p.includes(tokenFragment))).toEqual([]);
  expect(messages.filter((m) => m.includes(tokenFragment))).toEqual([]);
  expect(lines.filter((l) => l.includes(signature))).toEqual([]);
});
