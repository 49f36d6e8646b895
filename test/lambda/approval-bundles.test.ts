import {
  ApprovalEngines, bundleEnvironment, CALLBACK_SETTINGS, formBody, KEY, LAMBDA_CONTEXT, loadApprovalBundle, REQUEST_SETTINGS, seedApproval,
  startApprovalEngines, TASK_TOKEN, urlEvent,
} from './approval-harness';
import { signLink } from '../../lambda-src/approval-shared/links';
import type { ApprovalStore } from '../../lambda-src/approval-shared/store';
import { captureOutput } from '../helpers/capture-output';

// What approvers and the workflow see from the shipped bundles (assets/approval-*), against
// dynalite and a loopback Step Functions / SNS / SSM endpoint: a callback that failed twice
// is still delivered, a page opened with a trailing slash still decides, every link has
// exactly one valid text, and no link goes out for a request that has already expired.

let engines: ApprovalEngines;
let store: ApprovalStore;
let requestHandler: ReturnType<typeof loadApprovalBundle>;
let callbackHandler: ReturnType<typeof loadApprovalBundle>;
let ids = 0;
const nextId = () => `bundle${String(++ids).padStart(16, '0')}`; // 22 base64url characters
const saved = { ...process.env };

beforeAll(async () => {
  engines = await startApprovalEngines();
  store = engines.store();
  Object.assign(process.env, bundleEnvironment(engines));
  requestHandler = loadApprovalBundle('approval-request', REQUEST_SETTINGS);
  callbackHandler = loadApprovalBundle('approval-callback', CALLBACK_SETTINGS);
});
afterAll(async () => {
  process.env = saved;
  await engines.stop();
});
beforeEach(() => {
  engines.calls.length = 0;
  engines.sfnBehaviour = 'ok';
});

async function call(event: ReturnType<typeof urlEvent>): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  let response: any;
  await captureOutput(async () => {
    response = await callbackHandler(event, LAMBDA_CONTEXT);
  });
  return response;
}

const decide = (approvalId: string, fields: Record<string, string | number>) =>
  call(urlEvent('POST', `/approvals/${approvalId}/decision`, { body: formBody(fields), contentType: 'application/x-www-form-urlencoded' }));

describe('approval callback bundle', () => {
  test('Step Functions down → 503 → a replay while still down → 503 → up → a retry delivers exactly one SendTaskSuccess', async () => {
    const link = await seedApproval(store, nextId());
    const approve = { decision: 'approve', e: link.e, s: link.s };
    engines.sfnBehaviour = 'unavailable';
    const first = await decide(link.approvalId, approve);
    const replay = await decide(link.approvalId, approve);
    engines.sfnBehaviour = 'ok';
    const retry = await decide(link.approvalId, approve);

    expect([first.statusCode, replay.statusCode]).toEqual([503, 503]);
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toContain('The workflow has been notified');
    expect(engines.deliveredCallbacks().map((c) => [c.action, c.body.taskToken === TASK_TOKEN])).toEqual([['SendTaskSuccess', true]]);
    expect(await store.get(link.approvalId)).toMatchObject({ status: 'APPROVED', callback: 'SENT' });
  });

  test('a review page opened with a trailing slash posts its form to the decision URL and the decision is recorded', async () => {
    const link = await seedApproval(store, nextId());
    const pageUrl = `https://abc.lambda-url.eu-central-1.on.aws/approvals/${link.approvalId}/`;
    const page = await call(urlEvent('GET', new URL(pageUrl).pathname, { query: `e=${link.e}&s=${link.s}` }));
    expect(page.statusCode).toBe(200);

    const action = /<form method="post" action="([^"]+)">/.exec(page.body)![1];
    const target = new URL(action.replace(/&amp;/g, '&'), pageUrl);
    expect(target.pathname).toBe(`/approvals/${link.approvalId}/decision`);
    const response = await decide(target.pathname.split('/')[2], { decision: 'approve', e: link.e, s: link.s });
    expect(response.statusCode).toBe(200);
    expect(engines.deliveredCallbacks().map((c) => c.action)).toEqual(['SendTaskSuccess']);
  });

  test('every non-canonical spelling of a valid link is refused: one decision has exactly one valid link text', async () => {
    const link = await seedApproval(store, nextId());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes take 43 base64url characters; the last one carries 4 bits and 2 ignored ones,
    // so the three characters next to it in the alphabet decode to the same bytes.
    const canonical = alphabet.indexOf(link.s[42]);
    expect(canonical % 4).toBe(0); // issued links leave the spare bits zero
    const sameBytes = [1, 2, 3].map((spare) => alphabet[canonical + spare]);
    const variants: Array<[string, string | number, string]> = [
      ...sameBytes.map((c): [string, string | number, string] => [`last character ${c}`, link.e, link.s.slice(0, 42) + c]),
      ['a leading zero in the expiry', `0${link.e}`, link.s],
      ['two leading zeros in the expiry', `00${link.e}`, link.s],
      ['padding after the signature', link.e, `${link.s}=`],
    ];
    for (const [name, e, s] of variants) {
      const page = await call(urlEvent('GET', `/approvals/${link.approvalId}`, { query: `e=${e}&s=${encodeURIComponent(s)}` }));
      const post = await decide(link.approvalId, { decision: 'approve', e, s });
      expect({ name, get: page.statusCode, post: post.statusCode }).toEqual({ name, get: 403, post: 403 });
    }
    expect(engines.sendTaskCalls()).toEqual([]);
    expect((await store.get(link.approvalId))?.status).toBe('PENDING');
    // The canonical text itself still works.
    expect((await call(urlEvent('GET', `/approvals/${link.approvalId}`, { query: `e=${link.e}&s=${link.s}` }))).statusCode).toBe(200);
    expect(signLink(KEY, link.approvalId, link.e)).toBe(link.s);
  });
});

describe('approval request bundle', () => {
  test('a request that has already expired fails the task with ApprovalRequestExpired and mails no link', async () => {
    const enteredTime = new Date(Date.now() - (REQUEST_SETTINGS.timeoutSeconds + 60) * 1000).toISOString();
    const event = {
      taskToken: TASK_TOKEN,
      executionArn: 'arn:aws:states:eu-central-1:123456789012:execution:Orders:exec-late',
      stateName: 'RequestApproval',
      enteredTime,
    };
    let error: any;
    await captureOutput(async () => {
      try {
        await requestHandler(event, LAMBDA_CONTEXT);
      } catch (err) {
        error = err;
      }
    });
    // Step Functions names the task's error after the thrown error's name: it must survive minification.
    expect(error?.name).toBe('ApprovalRequestExpired');
    expect(error?.message).toMatch(/^the approval request expired at \S+Z, before its link could be sent \(the state was entered at \S+Z, approval timeout 3600 s\)$/);
    expect(engines.calls.filter((c) => c.service === 'sns')).toEqual([]);
  });

  test('an invalid request fails the task under a readable error name and code, never a minified one', async () => {
    let error: any;
    await captureOutput(async () => {
      try {
        await requestHandler({ executionArn: 'arn:aws:states:eu-central-1:123456789012:execution:Orders:exec-bad' }, LAMBDA_CONTEXT);
      } catch (err) {
        error = err;
      }
    });
    expect(error).toMatchObject({ name: 'HandlerError', code: 'INVALID_REQUEST' });
  });
});
