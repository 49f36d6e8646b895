import {
  ApprovalEngines, bundleEnvironment, CALLBACK_SETTINGS, formBody, LAMBDA_CONTEXT, loadApprovalBundle, REQUEST_SETTINGS, startApprovalEngines,
  TASK_TOKEN, urlEvent,
} from './approval-harness';
import { captureOutput, jsonLines } from '../helpers/capture-output';

// HA1: the task token appears nowhere but in the table. Runs the esbuild bundles as
// deployed (settings from APPROVAL_SETTINGS, SDK clients pointed at dynalite and the
// loopback AWS endpoint through AWS_ENDPOINT_URL_*), through a full request → review →
// decision → replay → forged-link sequence, and greps every log line, every rendered page
// and every published message for the token (and logs for the link signature).

let engines: ApprovalEngines;
const saved = { ...process.env };

beforeAll(async () => {
  engines = await startApprovalEngines();
  Object.assign(process.env, bundleEnvironment(engines));
});
afterAll(async () => {
  process.env = saved;
  await engines.stop();
});

test('the task token appears in no log line, page or message, and the link signature in no log line', async () => {
  const requestHandler = loadApprovalBundle('approval-request', REQUEST_SETTINGS);
  const callbackHandler = loadApprovalBundle('approval-callback', CALLBACK_SETTINGS);
  const context = LAMBDA_CONTEXT;

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
