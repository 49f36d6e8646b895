import {
  ApprovalEngines, CALLBACK_URL, formBody, KEY, seedApproval, startApprovalEngines, staticKeys, TASK_TOKEN, tickingClock, urlEvent,
} from './approval-harness';
import { handleCallback, CallbackDeps, CallbackMetric } from '../../lambda-src/approval-callback/callback';
import { reviewLink, signLink } from '../../lambda-src/approval-shared/links';
import type { ApprovalStore } from '../../lambda-src/approval-shared/store';

// The callback runtime against dynalite and a loopback Step Functions endpoint that records
// SendTaskSuccess / SendTaskFailure calls made by a real SFNClient.

let engines: ApprovalEngines;
let store: ApprovalStore;
let ids = 0;
const nextId = () => `approval${String(++ids).padStart(14, '0')}`; // 22 base64url characters

beforeAll(async () => {
  engines = await startApprovalEngines();
  store = engines.store();
});
afterAll(async () => engines.stop());
beforeEach(() => {
  engines.calls.length = 0;
  engines.sfnBehaviour = 'ok';
});

function deps(overrides: Partial<CallbackDeps> = {}): CallbackDeps & { metrics: CallbackMetric[] } {
  const metrics: CallbackMetric[] = [];
  return {
    settings: { tableName: 'approvals', keySecretName: 'k', workflowName: 'Orders', callbackLeaseMs: 30_000 },
    store,
    sfn: engines.sfn(),
    keys: staticKeys(),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: Date.now,
    count: (m) => metrics.push(m),
    metrics,
    ...overrides,
  };
}

const review = (link: { approvalId: string; e: number; s: string }) => urlEvent('GET', `/approvals/${link.approvalId}`, { query: `e=${link.e}&s=${link.s}` });
const post = (approvalId: string, fields: Record<string, string | number>, contentType = 'application/x-www-form-urlencoded') =>
  urlEvent('POST', `/approvals/${approvalId}/decision`, { body: contentType === 'application/json' ? JSON.stringify(fields) : formBody(fields), contentType });

describe('approval callback: review page', () => {
  test('GET shows the request and a form, and changes nothing however often it is fetched', async () => {
    const link = await seedApproval(store, nextId());
    const before = await store.get(link.approvalId);
    const first = await handleCallback(review(link), deps());
    const second = await handleCallback(review(link), deps());

    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(first.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(first.body).toContain('&quot;amount&quot;: 500');
    expect(first.body).toContain(`<form method="post" action="/approvals/${link.approvalId}/decision">`);
    expect(first.body).toContain('value="approve"');
    expect(first.body).not.toContain(TASK_TOKEN);
    expect(await store.get(link.approvalId)).toEqual(before);
    expect(engines.sendTaskCalls()).toEqual([]);
  });

  test('after a decision the page shows it and offers no form', async () => {
    const link = await seedApproval(store, nextId());
    await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    const page = await handleCallback(review(link), deps());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This request was approved');
    expect(page.body).not.toContain('<form');
  });

  test('summary text is HTML-escaped', async () => {
    const link = await seedApproval(store, nextId());
    const id2 = nextId();
    await store.create({
      approvalId: id2,
      taskToken: TASK_TOKEN,
      executionArn: 'x',
      stateName: 'S',
      expiresAt: link.e,
      createdAt: Date.now(),
      summary: '<script>alert(1)</script>',
      ttl: link.e,
    });
    const page = await handleCallback(review({ approvalId: id2, e: link.e, s: signLink(KEY, id2, link.e) }), deps());
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
  });
});

describe('approval callback: decisions', () => {
  test('POST approve records the decision and calls SendTaskSuccess once with the token', async () => {
    const link = await seedApproval(store, nextId());
    const d = deps();
    const response = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s, comment: 'fine' }), d);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('The request was approved');
    const calls = engines.sendTaskCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0].action).toBe('SendTaskSuccess');
    expect(calls[0].body.taskToken).toBe(TASK_TOKEN);
    expect(JSON.parse(calls[0].body.output)).toEqual({ decision: 'APPROVED', approvalId: link.approvalId, decidedAt: expect.any(String), comment: 'fine' });
    expect(await store.get(link.approvalId)).toMatchObject({ status: 'APPROVED', callback: 'SENT', comment: 'fine' });
    expect(d.metrics).toEqual(['ApprovalsApproved']);
  });

  test('POST reject calls SendTaskFailure with error ApprovalRejected (JSON body accepted too)', async () => {
    const link = await seedApproval(store, nextId());
    const response = await handleCallback(post(link.approvalId, { decision: 'reject', e: link.e, s: link.s, comment: 'no' }, 'application/json'), deps());

    expect(response.statusCode).toBe(200);
    const calls = engines.sendTaskCalls();
    expect(calls.map((c) => c.action)).toEqual(['SendTaskFailure']);
    expect(calls[0].body).toMatchObject({ taskToken: TASK_TOKEN, error: 'ApprovalRejected' });
    expect(JSON.parse(calls[0].body.cause)).toMatchObject({ decision: 'REJECTED', comment: 'no' });
    expect(await store.get(link.approvalId)).toMatchObject({ status: 'REJECTED', callback: 'SENT' });
  });

  test('a base64-encoded form body (as function URLs may deliver it) is decoded', async () => {
    const link = await seedApproval(store, nextId());
    const event = urlEvent('POST', `/approvals/${link.approvalId}/decision`, {
      body: formBody({ decision: 'approve', e: link.e, s: link.s }), contentType: 'application/x-www-form-urlencoded', base64: true,
    });
    expect((await handleCallback(event, deps())).statusCode).toBe(200);
    expect(engines.sendTaskCalls()).toHaveLength(1);
  });

  test('50 concurrent POSTs (approve and reject mixed) give exactly one decision and one SendTask call', async () => {
    const link = await seedApproval(store, nextId());
    // Each request with its own clients, like separate execution environments.
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => handleCallback(
      post(link.approvalId, { decision: i % 2 === 0 ? 'approve' : 'reject', e: link.e, s: link.s }),
      deps({ store: engines.store(), sfn: engines.sfn() }),
    )));

    const calls = engines.sendTaskCalls();
    expect(calls).toHaveLength(1);
    const record = await store.get(link.approvalId);
    expect(record?.callback).toBe('SENT');
    expect(calls[0].action).toBe(record?.status === 'APPROVED' ? 'SendTaskSuccess' : 'SendTaskFailure');
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 409)).toHaveLength(25);
    expect(responses.filter((r) => String(r.body).includes('The workflow has been notified'))).toHaveLength(1);
    // The other 24 of the winning side hear "already recorded" once the callback went out, or
    // "not confirmed yet, try again" (503) while it was still in flight - never a false "done".
    const sameSide = responses.filter((r) => r.statusCode !== 409 && !String(r.body).includes('The workflow has been notified'));
    expect(sameSide).toHaveLength(24);
    for (const r of sameSide) {
      expect(r.statusCode === 200 ? String(r.body).includes('Nothing more to do') : r.statusCode === 503 && String(r.body).includes('has not confirmed it yet')).toBe(true);
    }
  });

  test('replaying the same decision answers "already recorded" and calls nothing', async () => {
    const link = await seedApproval(store, nextId());
    await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    const d = deps();
    const replay = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), d);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toContain('already approved');
    expect(engines.sendTaskCalls()).toHaveLength(1);
    expect(d.metrics).toEqual(['ReplayAttempts']);
  });

  test('a different decision after the first is refused with 409 and the recorded decision stands', async () => {
    const link = await seedApproval(store, nextId());
    await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    const conflict = await handleCallback(post(link.approvalId, { decision: 'reject', e: link.e, s: link.s }), deps());
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('already approved');
    expect(engines.sendTaskCalls()).toHaveLength(1);
    expect((await store.get(link.approvalId))?.status).toBe('APPROVED');
  });

  test('when Step Functions says the task timed out, the approval is marked EXPIRED and the approver gets 410', async () => {
    const link = await seedApproval(store, nextId());
    engines.sfnBehaviour = 'timedOut';
    const response = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    expect(response.statusCode).toBe(410);
    expect(await store.get(link.approvalId)).toMatchObject({ status: 'EXPIRED', callback: 'GONE' });
  });

  test('when Step Functions is unavailable the decision is kept (503) and the same POST later delivers it', async () => {
    const link = await seedApproval(store, nextId());
    engines.sfnBehaviour = 'unavailable';
    const first = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    expect(first.statusCode).toBe(503);
    expect(await store.get(link.approvalId)).toMatchObject({ status: 'APPROVED', callback: 'PENDING', callbackAttemptAt: 0 });

    engines.sfnBehaviour = 'ok';
    const retry = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toContain('The workflow has been notified');
    expect(engines.sendTaskCalls().map((c) => c.action)).toEqual(['SendTaskSuccess', 'SendTaskSuccess']);
    expect((await store.get(link.approvalId))?.callback).toBe('SENT');
  });

  test('a failed replay gives its lease back, so the next retry delivers the callback (clock read 1 ms apart, as in real calls)', async () => {
    const link = await seedApproval(store, nextId());
    const clock = tickingClock();
    const approve = () => handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps({ now: clock }));
    engines.sfnBehaviour = 'unavailable';
    const first = await approve();
    const replay = await approve();
    expect(await store.get(link.approvalId)).toMatchObject({ callback: 'PENDING', callbackAttemptAt: 0 });
    engines.sfnBehaviour = 'ok';
    const retry = await approve();

    expect([first.statusCode, replay.statusCode, retry.statusCode]).toEqual([503, 503, 200]);
    expect(retry.body).toContain('The workflow has been notified');
    expect(engines.sendTaskCalls().map((c) => [c.action, c.accepted])).toEqual([['SendTaskSuccess', false], ['SendTaskSuccess', false], ['SendTaskSuccess', true]]);
    expect((await store.get(link.approvalId))?.callback).toBe('SENT');
  });

  test('while another request holds the callback lease, a replay says the workflow is not notified yet (503, Retry-After) and sends nothing', async () => {
    const link = await seedApproval(store, nextId());
    const leaseTaken = Date.now();
    await store.decide(link.approvalId, 'APPROVED', '', leaseTaken); // decided; its callback in flight elsewhere
    const during = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps({ now: tickingClock(leaseTaken + 10_000) }));

    expect(during.statusCode).toBe(503);
    expect(during.headers).toMatchObject({ 'retry-after': '20' });
    expect(during.body).toContain('Your approval is recorded, but the workflow has not confirmed it yet');
    expect(during.body).not.toContain('Nothing more to do');
    expect(engines.sendTaskCalls()).toEqual([]);

    // A lease older than callbackLeaseMs (its holder crashed) is taken over by the next retry.
    const later = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps({ now: tickingClock(leaseTaken + 31_000) }));
    expect(later.statusCode).toBe(200);
    expect(engines.deliveredCallbacks().map((c) => c.action)).toEqual(['SendTaskSuccess']);
  });

  test('the review page of a decision whose callback is not delivered says so and offers to send it again', async () => {
    const link = await seedApproval(store, nextId());
    engines.sfnBehaviour = 'unavailable';
    await handleCallback(post(link.approvalId, { decision: 'reject', e: link.e, s: link.s }), deps());
    const page = await handleCallback(review(link), deps());

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This request was rejected');
    expect(page.body).toContain('the workflow has not confirmed it yet');
    expect(page.body).not.toContain('Nothing more to do');
    expect(page.body).toContain(`<form method="post" action="/approvals/${link.approvalId}/decision">`);
    expect(page.body).toContain('<button type="submit" name="decision" value="reject">Notify the workflow again</button>');
    expect(page.body).not.toContain('value="approve"');
  });
});

describe('approval callback: bad input gets a clear 4xx and decides nothing', () => {
  async function expectNothingDecided(approvalId: string) {
    expect((await store.get(approvalId))?.status ?? 'MISSING').toMatch(/PENDING|MISSING/);
    expect(engines.sendTaskCalls()).toEqual([]);
  }

  test.each([
    ['a forged signature', (l: any) => ({ ...l, s: 'A'.repeat(43) }), 403, 'Invalid link'],
    ['a signature for a different approval', (l: any) => ({ ...l, s: l.otherS }), 403, 'Invalid link'],
    ['an extended expiry (tampered e)', (l: any) => ({ ...l, e: l.e + 86_400 }), 403, 'Invalid link'],
    ['a truncated signature', (l: any) => ({ ...l, s: l.s.slice(0, 20) }), 403, 'Invalid link'],
    ['a non-numeric expiry', (l: any) => ({ ...l, e: '1e99' }), 403, 'Invalid link'],
  ])('GET and POST with %s are refused', async (_name, tamper, status, title) => {
    const link = { ...(await seedApproval(store, nextId())), otherS: (await seedApproval(store, nextId())).s };
    const bad = tamper(link);
    const page = await handleCallback(review(bad), deps());
    const decision = await handleCallback(post(link.approvalId, { decision: 'approve', e: bad.e, s: bad.s }), deps());
    for (const r of [page, decision]) {
      expect(r.statusCode).toBe(status);
      expect(r.body).toContain(title);
      expect(r.body).not.toContain(link.s);
    }
    await expectNothingDecided(link.approvalId);
  });

  test('an expired link (valid signature, expiry passed) is refused with 410', async () => {
    const nowMs = Date.now();
    const link = await seedApproval(store, nextId(), { expiresAt: Math.floor(nowMs / 1000) - 5, nowMs: nowMs - 3_600_000 });
    expect((await handleCallback(review(link), deps())).statusCode).toBe(410);
    const response = await handleCallback(post(link.approvalId, { decision: 'approve', e: link.e, s: link.s }), deps());
    expect(response.statusCode).toBe(410);
    await expectNothingDecided(link.approvalId);
  });

  test('an unknown approval id with a validly signed link is 404; a malformed id is 404', async () => {
    const e = Math.floor(Date.now() / 1000) + 600;
    const unknown = 'unknown000000000000000';
    expect((await handleCallback(review({ approvalId: unknown, e, s: signLink(KEY, unknown, e) }), deps())).statusCode).toBe(404);
    expect((await handleCallback(post(unknown, { decision: 'approve', e, s: signLink(KEY, unknown, e) }), deps())).statusCode).toBe(404);
    expect((await handleCallback(urlEvent('GET', '/approvals/not-an-id', { query: 'e=1&s=x' }), deps())).statusCode).toBe(404);
    await expectNothingDecided(unknown);
  });

  test.each([
    ['a missing signature', (l: any) => formBody({ decision: 'approve', e: l.e }), 'application/x-www-form-urlencoded', 400],
    ['an unknown decision', (l: any) => formBody({ decision: 'maybe', e: l.e, s: l.s }), 'application/x-www-form-urlencoded', 400],
    ['no decision', (l: any) => formBody({ e: l.e, s: l.s }), 'application/x-www-form-urlencoded', 400],
    ['malformed JSON', () => '{"decision":', 'application/json', 400],
    ['a JSON array', () => '[]', 'application/json', 400],
    ['a JSON field of the wrong type', (l: any) => JSON.stringify({ decision: ['approve'], e: l.e, s: l.s }), 'application/json', 400],
    ['an unsupported content type', (l: any) => formBody({ decision: 'approve', e: l.e, s: l.s }), 'text/plain', 415],
    ['a comment over 1000 characters', (l: any) => formBody({ decision: 'approve', e: l.e, s: l.s, comment: 'x'.repeat(1001) }), 'application/x-www-form-urlencoded', 400],
    ['a body over 8 KiB', (l: any) => formBody({ decision: 'approve', e: l.e, s: l.s, pad: 'x'.repeat(9000) }), 'application/x-www-form-urlencoded', 413],
  ])('POST with %s is refused', async (_name, body, contentType, status) => {
    const link = await seedApproval(store, nextId());
    const response = await handleCallback(urlEvent('POST', `/approvals/${link.approvalId}/decision`, { body: body(link), contentType }), deps());
    expect(response.statusCode).toBe(status);
    await expectNothingDecided(link.approvalId);
  });

  test('a GET without expiry or signature is 400; wrong methods are 405; other paths 404', async () => {
    const link = await seedApproval(store, nextId());
    expect((await handleCallback(urlEvent('GET', `/approvals/${link.approvalId}`), deps())).statusCode).toBe(400);
    expect((await handleCallback(urlEvent('GET', `/approvals/${link.approvalId}/decision`, { query: `e=${link.e}&s=${link.s}` }), deps())).statusCode).toBe(405);
    expect((await handleCallback(urlEvent('POST', `/approvals/${link.approvalId}`, { body: 'x', contentType: 'text/plain' }), deps())).statusCode).toBe(405);
    expect((await handleCallback(urlEvent('GET', '/'), deps())).statusCode).toBe(404);
    await expectNothingDecided(link.approvalId);
  });

  test('a broken store answers 500 without details and decides nothing', async () => {
    const link = await seedApproval(store, nextId());
    const broken = { ...store, get: async () => { throw new Error('connection reset'); } } as unknown as ApprovalStore;
    const response = await handleCallback(review(link), deps({ store: broken }));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('connection reset');
    await expectNothingDecided(link.approvalId);
  });
});

test('review links stay short: at most 200 characters', async () => {
  const e = Math.floor(Date.now() / 1000) + 365 * 86_400;
  expect(reviewLink(CALLBACK_URL, 'A'.repeat(22), e, signLink(KEY, 'A'.repeat(22), e)).length).toBeLessThanOrEqual(200);
});
