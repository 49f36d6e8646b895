import { ApprovalEngines, CALLBACK_URL, KEY, SECRET_NAME, startApprovalEngines, staticKeys, TASK_TOKEN } from './approval-harness';
import { asTaskError, renderSummary, requestApproval, RequestDeps } from '../../lambda-src/approval-request/request';
import { SecretReferenceKeySource } from '../../lambda-src/approval-shared/key-source';
import { approvalIdFor, verifyLink } from '../../lambda-src/approval-shared/links';
import { callbackSettings, requestSettings } from '../../lambda-src/approval-shared/settings';
import type { ApprovalStore } from '../../lambda-src/approval-shared/store';
import { ssm } from '../../lambda-src/shared/aws/ssm';
import { ConfigurationError, HandlerError } from '../../lambda-src/shared/errors';

// The request runtime against dynalite and a loopback SNS/SSM endpoint (real SDK clients).

let engines: ApprovalEngines;
let store: ApprovalStore;
let executions = 0;

beforeAll(async () => {
  engines = await startApprovalEngines();
  store = engines.store();
});
afterAll(async () => engines.stop());
beforeEach(() => {
  engines.calls.length = 0;
});

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

function deps(overrides: Partial<RequestDeps['settings']> = {}): RequestDeps {
  return {
    settings: {
      tableName: 'approvals',
      topicArn: 'arn:aws:sns:eu-central-1:123456789012:approvals',
      callbackUrl: CALLBACK_URL,
      keySecretName: SECRET_NAME,
      timeoutSeconds: 86_400,
      workflowName: 'LargeOrderApproval',
      auditRetentionDays: 90,
      maxSummaryBytes: 4096,
      summaryFields: { order: '$.orderId', amount: '$.amount' },
      ...overrides,
    },
    store,
    sns: engines.sns(),
    keys: staticKeys(),
    logger: { info: () => undefined, warn: () => undefined },
    now: () => NOW,
  };
}

function event(overrides: Record<string, unknown> = {}) {
  return {
    taskToken: TASK_TOKEN,
    executionArn: `arn:aws:states:eu-central-1:123456789012:execution:Orders:exec-${++executions}`,
    stateName: 'RequestApproval',
    enteredTime: '2026-11-22T09:59:59.123Z',
    state: { orderId: 'o-1', amount: 500, card: { number: '4111111111111111' }, customer: 'c-1@example.com' },
    ...overrides,
  };
}

const published = () => engines.calls.filter((c) => c.service === 'sns');

describe('approval request', () => {
  test('stores the token server-side and publishes a signed link that contains no token', async () => {
    const result = await requestApproval(event(), deps());

    expect(result.notified).toBe(true);
    expect(result.approvalId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const record = await store.get(result.approvalId);
    expect(record).toMatchObject({ taskToken: TASK_TOKEN, status: 'PENDING', stateName: 'RequestApproval', notifiedAt: NOW });
    // expiry = state entry + approvalTimeout
    expect(record?.expiresAt).toBe(Math.floor(Date.parse('2026-11-22T09:59:59.123Z') / 1000) + 86_400);

    const [publish] = published();
    expect(publish.body.MessageStructure).toBe('json');
    expect(publish.body.Subject).toBe('Approval requested: LargeOrderApproval');
    const message = JSON.parse(publish.body.Message);
    expect(JSON.stringify(publish.body)).not.toContain(TASK_TOKEN);
    expect(message.email).toContain('"amount": 500');
    expect(message.email).toContain('"order": "o-1"');
    const link = /https:\/\/\S+/.exec(message.email)![0];
    expect(link.length).toBeLessThanOrEqual(200);
    const url = new URL(link);
    expect(url.pathname).toBe(`/approvals/${result.approvalId}`);
    expect(verifyLink(KEY, result.approvalId, Number(url.searchParams.get('e')), url.searchParams.get('s')!)).toBe(true);

    const machine = JSON.parse(message.sqs);
    expect(machine).toMatchObject({
      type: 'ApprovalRequested',
      approvalId: result.approvalId,
      reviewUrl: link,
      decisionUrl: `${CALLBACK_URL}approvals/${result.approvalId}/decision`,
      e: record?.expiresAt,
      s: url.searchParams.get('s'),
    });
  });

  test('a retried request (same state visit) creates no second approval and sends no second message', async () => {
    const e = event();
    const first = await requestApproval(e, deps());
    const second = await requestApproval({ ...e, taskToken: `${TASK_TOKEN}-retry` }, deps());
    expect(second).toEqual({ ...first, notified: false });
    expect(published()).toHaveLength(1);
    expect((await store.get(first.approvalId))?.taskToken).toBe(`${TASK_TOKEN}-retry`);
  });

  test('a retry after a failed publish announces the approval then', async () => {
    const e = event();
    const failingSns = { publish: async () => { throw Object.assign(new Error('throttled'), { name: 'Throttling' }); } };
    await expect(requestApproval(e, { ...deps(), sns: failingSns as any })).rejects.toThrow('throttled');
    const retry = await requestApproval(e, deps());
    expect(retry.notified).toBe(true);
    expect(published()).toHaveLength(1);
  });

  test.each([
    ['no token', { taskToken: undefined }],
    ['an empty token', { taskToken: '' }],
    ['a bad entry time', { enteredTime: 'yesterday' }],
    ['no execution', { executionArn: 42 }],
  ])('an event with %s fails with INVALID_REQUEST and stores and sends nothing', async (_name, overrides) => {
    const bad = event(overrides);
    await expect(requestApproval(bad, deps())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(published()).toEqual([]);
  });

  test('a non-object event is refused too', async () => {
    await expect(requestApproval('hello', deps())).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('taskToken') });
  });

  test('errors leave the handler under a name the workflow retries only when retrying can help', () => {
    const invalid = new HandlerError('INVALID_REQUEST', 'bad');
    expect(asTaskError(invalid)).toBe(invalid);
    expect(asTaskError(new HandlerError('KEY_UNAVAILABLE', 'x', true)).name).toBe('ApprovalRequestTransient');
    const throttled = asTaskError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(throttled.name).toBe('ApprovalRequestTransient');
    expect(throttled.message).toContain('ThrottlingException: Rate exceeded');
  });

  test('summaries are cut to the configured size', () => {
    const text = renderSummary({ blob: 'x'.repeat(10_000) }, { blob: '$.blob' }, 4096);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(text.endsWith('…(truncated)')).toBe(true);
  });

  test('approvers see only the fields the workflow names: nothing else of the state is stored or published', async () => {
    const result = await requestApproval(event(), deps());
    const summary = (await store.get(result.approvalId))?.summary;
    const message = JSON.stringify(published()[0].body);

    expect(summary).toBe('{\n  "order": "o-1",\n  "amount": 500\n}');
    for (const unnamed of ['4111111111111111', 'c-1@example.com']) {
      expect(summary).not.toContain(unnamed);
      expect(message).not.toContain(unnamed);
    }
  });

  test('a named field the state lacks is listed as missing, and the approval is still requested', async () => {
    const result = await requestApproval(event({ state: { orderId: 'o-2' } }), deps());
    expect(result.notified).toBe(true);
    expect((await store.get(result.approvalId))?.summary).toBe('{\n  "order": "o-2"\n}\n(not in the request: amount)');
  });

  test('without named fields no request data goes out, even when the event carries a state', async () => {
    const result = await requestApproval(event(), deps({ summaryFields: {} }));
    const summary = (await store.get(result.approvalId))?.summary;
    expect(summary).toBe('(no request details: the workflow names no summary fields)');
    expect(JSON.stringify(published()[0].body)).not.toContain('o-1');
  });

  test('a request that has already expired fails with ApprovalRequestExpired and stores and sends nothing', async () => {
    const late = event({ enteredTime: new Date(NOW - 86_400_000 - 1000).toISOString() });
    const error = await requestApproval(late, deps()).then(() => undefined, (err: unknown) => err as HandlerError);

    expect(error).toMatchObject({ name: 'ApprovalRequestExpired', code: 'APPROVAL_EXPIRED', retryable: false });
    expect(error?.message).toBe('the approval request expired at 2026-11-22T09:59:59.000Z, before its link could be sent ' +
      '(the state was entered at 2026-11-21T09:59:59.000Z, approval timeout 86400 s)');
    expect(asTaskError(error)).toBe(error); // reaches the workflow under its own name, not retried
    expect(published()).toEqual([]);
    expect(await store.get(approvalIdFor(KEY, late.executionArn, late.stateName, late.enteredTime))).toBeUndefined();
  });

  test('plain-HTTP subscribers get a notice without the link; every other protocol gets it', async () => {
    await requestApproval(event(), deps());
    const message = JSON.parse(published()[0].body.Message);
    expect(JSON.parse(message.http)).toEqual({
      type: 'ApprovalRequested', workflow: 'LargeOrderApproval', error: 'approval links are not sent to plain-HTTP endpoints; subscribe an https endpoint',
    });
    for (const protocol of ['default', 'email', 'sqs', 'lambda', 'https']) expect(message[protocol]).toContain('/approvals/');
  });
});

describe('link-signing key from Secrets Manager through Parameter Store', () => {
  test('reads /aws/reference/secretsmanager/<name> with decryption once and caches it', async () => {
    const source = new SecretReferenceKeySource(engines.ssm(), SECRET_NAME);
    const [a, b] = await Promise.all([source.key(), source.key()]);
    await source.key();
    expect(a.equals(KEY) && b.equals(KEY)).toBe(true);
    const reads = engines.calls.filter((c) => c.service === 'ssm');
    expect(reads).toEqual([{ service: 'ssm', action: 'GetParameter', body: { Name: `/aws/reference/secretsmanager/${SECRET_NAME}`, WithDecryption: true }, accepted: true }]);
  });

  test('reads again once the cache expires', async () => {
    let now = 0;
    const source = new SecretReferenceKeySource(engines.ssm(), SECRET_NAME, 1000, () => now);
    await source.key();
    now = 1001;
    await source.key();
    expect(engines.calls.filter((c) => c.service === 'ssm')).toHaveLength(2);
  });

  test('an unreachable Parameter Store is a retryable KEY_UNAVAILABLE error', async () => {
    const unreachable = ssm({ endpoint: 'http://127.0.0.1:9', region: 'x', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    await expect(new SecretReferenceKeySource(unreachable, SECRET_NAME).key()).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE', retryable: true });
  });
});

describe('handler settings', () => {
  test('every invalid setting is reported at once', () => {
    const env = { APPROVAL_SETTINGS: JSON.stringify({ tableName: '', topicArn: 'arn', timeoutSeconds: 0 }) };
    expect(() => requestSettings(env)).toThrow(ConfigurationError);
    expect(() => requestSettings(env)).toThrow(/tableName must be a non-empty string.*callbackUrl.*keySecretName.*timeoutSeconds must be an integer between 60 and 31536000.*workflowName/);
    expect(() => callbackSettings({})).toThrow('environment variable APPROVAL_SETTINGS is not set');
  });

  test('valid settings get their defaults', () => {
    const env = { APPROVAL_SETTINGS: JSON.stringify({ tableName: 't', keySecretName: 'k', workflowName: 'w' }) };
    expect(callbackSettings(env)).toEqual({ tableName: 't', keySecretName: 'k', workflowName: 'w', callbackLeaseMs: 30_000 });
  });

  test('invalid summary fields are named, each with what is allowed', () => {
    const env = {
      APPROVAL_SETTINGS: JSON.stringify({
        tableName: 't',
        topicArn: 'arn',
        callbackUrl: 'https://x/',
        keySecretName: 'k',
        timeoutSeconds: 3600,
        workflowName: 'w',
        summaryFields: { 'amount': '$', 'bad label!': '$.a', 'items': '$.items[*]' },
      }),
    };
    expect(() => requestSettings(env)).toThrow(
      "invalid settings in APPROVAL_SETTINGS: summaryFields.amount must name a field of the state such as '$.amount', not the whole state, got \"$\"; " +
      'summaryFields["bad label!"] must be labelled with 1 to 64 letters, digits, spaces, _ or -, starting with a letter, got "bad label!"; ' +
      "summaryFields.items must be a JSONPath reference path such as '$.order.amount' (no wildcards or filters), got \"$.items[*]\"",
    );
  });
});
