import { generateKeyPairSync, sign } from 'node:crypto';
import * as path from 'node:path';
import type { PolicyDocument } from '../../src/api/route-policy';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { runNodeAsync } from '../helpers/bundle-process';
import { LOCAL_CREDENTIALS } from '../helpers/dynalite';
import { LoopbackResponse, LoopbackServer, RecordedRequest, startLoopbackServer } from '../helpers/http-server';
import { policyAllows } from '../helpers/iam-policy';

// API key source AUTHORIZER: the shipped bundle (assets/authorizer/index.js) in a fresh child
// process, reading tenant keys from a loopback server that answers like API Gateway's
// GetApiKey. The child's clock can be moved forward between steps to expire cached keys.
const BUNDLE = path.join(ASSETS_DIR, 'authorizer', 'index.js');
const ISSUER = 'https://issuer.tenants.test';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const ORDERS = `${PREFIX}GET/orders`;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' };
const KEYS = {
  'tenant-a': { id: 'keyida0001', value: 'VALUE-A-3f9c2e7d1b5a4c8e9f0a1b2c3d4e5f60' },
  'tenant-b': { id: 'keyidb0002', value: 'VALUE-B-8e1d4c7b2a5f3e6d9c0b1a2f3e4d5c6b' },
};
const HOUR_MS = 3_600_000;
const SETTINGS = {
  issuers: [{ issuer: ISSUER, audiences: ['api'], algorithms: ['EdDSA'], jwks: { keys: [jwk] } }],
  routes: [{ method: 'GET', path: '/orders', scopes: [] }, { method: 'GET', path: '/orders/{id}', scopes: [] }],
  policyScope: 'api',
  usageKeys: {
    tenants: Object.entries(KEYS).map(([tenantId, key]) => ({ tenantId, apiKeyId: key.id })),
    cacheTtlMs: HOUR_MS,
  },
};

/** A token of `tenant`, valid for two days (the child's clock moves by hours). */
function token(tenant: string, sub = 'user-1'): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${b64({ alg: 'EdDSA', kid: 'ed-1' })}.${b64({
    'iss': ISSUER, 'aud': 'api', sub, 'custom:tenant_id': tenant, 'exp': Math.floor(Date.now() / 1000) + 2 * 86_400,
  })}`;
  return `${head}.${sign(null, Buffer.from(head), privateKey).toString('base64url')}`;
}

const tokenEvent = (tenant: string, methodArn = ORDERS, sub?: string) => ({ type: 'TOKEN', authorizationToken: `Bearer ${token(tenant, sub)}`, methodArn });

/** One step of a run: invoke one event, several at once, `times` events in turn from `cycle`, or move the child's clock. */
type Step = { event: object } | { parallel: object[] } | { cycle: object[]; times: number } | { advanceMs: number };

interface Outcome {
  readonly result?: {
    principalId: string;
    policyDocument: PolicyDocument;
    context: Record<string, string>;
    usageIdentifierKey?: string;
  };
  readonly error?: string;
  /** A `cycle` step: answers per usage key. */
  readonly keys?: Record<string, number>;
}

interface Run {
  readonly outcomes: Outcome[];
  /** Every line the child wrote that is not an outcome: log lines and EMF documents. */
  readonly logLines: string[];
  /** The parsed JSON log lines with a `message`. */
  readonly logs: Array<Record<string, any>>;
  readonly output: string;
}

/** Run `steps` against the bundle in one cold process whose GetApiKey endpoint is `gateway`. */
async function run(gateway: LoopbackServer, steps: Step[], env: Record<string, string> = {}): Promise<Run> {
  const script = `
    const realNow = Date.now;
    let offset = 0;
    Date.now = () => realNow() + offset;
    const { handler } = require(${JSON.stringify(BUNDLE)});
    const invoke = (e) => handler(e).then((result) => ({ result }), (err) => ({ error: err.message }));
    (async () => {
      for (const step of ${JSON.stringify(steps)}) {
        if (step.advanceMs) { offset += step.advanceMs; continue; }
        if (step.cycle) {
          // one line for the whole cycle: how many answers carried each usage key
          const keys = {};
          for (let i = 0; i < step.times; i++) {
            const k = String((await invoke(step.cycle[i % step.cycle.length])).result?.usageIdentifierKey);
            keys[k] = (keys[k] ?? 0) + 1;
          }
          console.log('OUTCOME ' + JSON.stringify({ keys }));
          continue;
        }
        const results = await Promise.all((step.parallel ?? [step.event]).map(invoke));
        for (const r of results) console.log('OUTCOME ' + JSON.stringify(r));
      }
    })();`;
  const child = await runNodeAsync(['-e', script], {
    AUTHORIZER_SETTINGS: JSON.stringify(SETTINGS),
    AWS_ENDPOINT_URL_API_GATEWAY: gateway.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: 'orders-authorizer',
    ...env,
  }, 60_000);
  const output = child.stdout + child.stderr;
  const lines = output.split('\n').filter((l) => l.length > 0);
  const outcomes = lines.filter((l) => l.startsWith('OUTCOME ')).map((l) => JSON.parse(l.slice('OUTCOME '.length)) as Outcome);
  const logLines = lines.filter((l) => !l.startsWith('OUTCOME '));
  const logs = logLines.flatMap((l) => {
    try {
      const parsed = JSON.parse(l);
      return typeof parsed.message === 'string' ? [parsed] : [];
    } catch {
      return [];
    }
  });
  return { outcomes, logLines, logs, output };
}

/** GetApiKey as API Gateway answers it: the key with its value, or 404 for an unknown id. */
function getApiKey(request: RecordedRequest, values: Record<string, string> = {}): LoopbackResponse {
  const m = /^\/apikeys\/([A-Za-z0-9]+)\?includeValue=true$/.exec(request.url);
  const known = Object.values(KEYS).find((k) => k.id === m?.[1]);
  if (request.method !== 'GET' || !m || !known) {
    return { status: 404, headers: { 'x-amzn-errortype': 'NotFoundException' }, body: JSON.stringify({ message: 'Invalid API Key identifier specified' }) };
  }
  return { status: 200, body: JSON.stringify({ id: known.id, value: values[known.id] ?? known.value, enabled: true, name: known.id }) };
}

const decisions = (r: Run) => r.logs.filter((l) => l.message === 'authorization decision');
/** The values of metric `name` in the run's EMF documents. */
function metricValues(r: Run, name: string): Array<{ value: number; dimensions: string[][] }> {
  return r.logLines.flatMap((l) => {
    try {
      const doc = JSON.parse(l);
      const defs = doc._aws?.CloudWatchMetrics?.[0];
      if (!defs?.Metrics.some((m: { Name: string }) => m.Name === name)) return [];
      return [{ value: doc[name], dimensions: defs.Dimensions }];
    } catch {
      return [];
    }
  });
}

describe('authorizer usage keys (API key source AUTHORIZER)', () => {
  let gateway: LoopbackServer;
  beforeEach(async () => {
    gateway = await startLoopbackServer((request) => getApiKey(request));
  });
  afterEach(async () => {
    await gateway.stop();
  });

  test('a tenant-a token is metered with tenant-a\'s key even when x-api-key carries tenant-b\'s key', async () => {
    const bearer = `Bearer ${token('tenant-a')}`;
    const r = await run(gateway, [
      { event: { type: 'TOKEN', authorizationToken: bearer, methodArn: ORDERS } },
      { event: { type: 'REQUEST', methodArn: ORDERS, resource: '/orders', httpMethod: 'GET', headers: { 'Authorization': bearer, 'x-api-key': KEYS['tenant-b'].value } } },
      { event: tokenEvent('tenant-b') },
    ]);
    expect(r.outcomes).toHaveLength(3);
    expect(r.outcomes[0].result?.usageIdentifierKey).toBe(KEYS['tenant-a'].value);
    expect(r.outcomes[1].result?.usageIdentifierKey).toBe(KEYS['tenant-a'].value);
    expect(r.outcomes[1].result?.context.tenantId).toBe('tenant-a');
    expect(policyAllows(r.outcomes[1].result!.policyDocument, ORDERS)).toBe(true);
    expect(r.outcomes[2].result?.usageIdentifierKey).toBe(KEYS['tenant-b'].value);
    expect(gateway.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      `GET /apikeys/${KEYS['tenant-a'].id}?includeValue=true`,
      `GET /apikeys/${KEYS['tenant-b'].id}?includeValue=true`,
    ]);
    // signed for API Gateway's control plane, not execute-api
    expect(gateway.requests[0].headers.authorization).toMatch(/Credential=local\/\d{8}\/eu-west-1\/apigateway\/aws4_request/);
  });

  test('a token whose tenant has no key is denied with reason unknown_tenant', async () => {
    const r = await run(gateway, [{ event: tokenEvent('tenant-z') }]);
    const answer = r.outcomes[0].result!;
    expect(answer.usageIdentifierKey).toBeUndefined();
    expect(answer.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [ORDERS] }]);
    expect(policyAllows(answer.policyDocument, `${PREFIX}GET/orders/1`)).toBe(false);
    expect(decisions(r)).toEqual([expect.objectContaining({ decision: 'deny', reason: 'unknown_tenant', tenantId: 'tenant-z' })]);
    expect(gateway.requests).toEqual([]);
  });

  test('a thousand decisions for one tenant read its key once', async () => {
    // 50 callers of tenant-a on two routes, in turn
    const events = Array.from({ length: 50 }, (_, i) => tokenEvent('tenant-a', i % 2 === 0 ? ORDERS : `${PREFIX}GET/orders/${i}`, `user-${i}`));
    // decision log lines off: a thousand of them would overflow the child's output buffer
    const r = await run(gateway, [{ cycle: events, times: 1000 }], { POWERTOOLS_LOG_LEVEL: 'ERROR' });
    expect(r.outcomes).toEqual([{ keys: { [KEYS['tenant-a'].value]: 1000 } }]);
    expect(gateway.requests).toHaveLength(1);
    expect(metricValues(r, 'UsageKeyLookups')).toEqual([{ value: 1, dimensions: [['service', 'function_name']] }]);
  }, 60_000);

  test('concurrent first requests for one tenant share one key lookup', async () => {
    gateway.respondWith((request) => ({ ...getApiKey(request), delayMs: 150 }));
    const r = await run(gateway, [{ parallel: Array.from({ length: 20 }, (_, i) => tokenEvent('tenant-a', ORDERS, `user-${i}`)) }]);
    expect(r.outcomes).toHaveLength(20);
    expect(r.outcomes.map((o) => o.result?.usageIdentifierKey)).toEqual(Array(20).fill(KEYS['tenant-a'].value));
    expect(gateway.requests).toHaveLength(1);
  });

  test('an expired entry is refreshed and the stale value is served while the refresh fails', async () => {
    // the key was rotated: the refresh after the TTL brings the new value
    let calls = 0;
    gateway.respondWith((request) => getApiKey(request, ++calls > 1 ? { [KEYS['tenant-a'].id]: 'ROTATED-VALUE-A-0123456789abcdef' } : {}));
    const refreshed = await run(gateway, [{ event: tokenEvent('tenant-a') }, { advanceMs: HOUR_MS - 1000 }, { event: tokenEvent('tenant-a') },
      { advanceMs: 2000 }, { event: tokenEvent('tenant-a') }]);
    expect(refreshed.outcomes.map((o) => o.result?.usageIdentifierKey)).toEqual([KEYS['tenant-a'].value, KEYS['tenant-a'].value, 'ROTATED-VALUE-A-0123456789abcdef']);
    expect(calls).toBe(2);

    // the refresh fails (API Gateway answers 500 to every attempt): the stale value keeps metering
    const failing = await startLoopbackServer((request) => (failing.requests.length > 1
      ? { status: 500, headers: { 'x-amzn-errortype': 'InternalServerError' }, body: '{"message":"internal"}' }
      : getApiKey(request)));
    try {
      const stale = await run(failing, [{ event: tokenEvent('tenant-a') }, { advanceMs: HOUR_MS + 1000 }, { event: tokenEvent('tenant-a') },
        { event: tokenEvent('tenant-a', `${PREFIX}GET/orders/7`) }]);
      expect(stale.outcomes.map((o) => o.result?.usageIdentifierKey)).toEqual(Array(3).fill(KEYS['tenant-a'].value));
      expect(stale.outcomes.every((o) => policyAllows(o.result!.policyDocument, ORDERS))).toBe(true);
      // one refresh (its retries included) and no second one within the retry interval
      expect(failing.requests.length).toBeGreaterThan(1);
      expect(failing.requests.every((q) => q.url === `/apikeys/${KEYS['tenant-a'].id}?includeValue=true`)).toBe(true);
      expect(metricValues(stale, 'UsageKeyErrors')).toEqual([{ value: 1, dimensions: [['service', 'function_name']] }]);
      expect(stale.logs).toContainEqual(expect.objectContaining({ message: 'usage key lookup failed', apiKeyId: KEYS['tenant-a'].id, errorName: 'InternalServerError' }));
    } finally {
      await failing.stop();
    }
  }, 60_000);

  test('a tenant whose key was never readable is denied with usage_key_unavailable', async () => {
    gateway.respondWith(() => ({ status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"message":"not authorized to perform: apigateway:GET"}' }));
    const r = await run(gateway, [{ event: tokenEvent('tenant-a') }, { event: tokenEvent('tenant-a', `${PREFIX}GET/orders/9`) }]);
    expect(r.outcomes).toHaveLength(2);
    for (const [i, arn] of [ORDERS, `${PREFIX}GET/orders/9`].entries()) {
      const answer = r.outcomes[i].result!;
      expect(answer.usageIdentifierKey).toBeUndefined();
      expect(answer.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [arn] }]);
    }
    expect(decisions(r).map((d) => [d.decision, d.reason, d.usageKeyId])).toEqual([
      ['deny', 'usage_key_unavailable', KEYS['tenant-a'].id], ['deny', 'usage_key_unavailable', KEYS['tenant-a'].id],
    ]);
    // a refused read is not retried at once: the control plane's budget is the account's
    expect(gateway.requests).toHaveLength(1);
    expect(metricValues(r, 'UsageKeyErrors').map((m) => m.value)).toEqual([1]);
  });

  test('the key value never appears in any log line', async () => {
    let calls = 0;
    gateway.respondWith((request) => (++calls === 2
      ? { status: 400, headers: { 'x-amzn-errortype': 'BadRequestException' }, body: JSON.stringify({ message: `bad request near ${KEYS['tenant-b'].value.slice(0, 4)}` }) }
      : getApiKey(request)));
    const r = await run(gateway, [
      { event: tokenEvent('tenant-a') },
      { event: { type: 'REQUEST', methodArn: ORDERS, resource: '/orders', httpMethod: 'GET', headers: { 'authorization': `Bearer ${token('tenant-a')}`, 'x-api-key': KEYS['tenant-b'].value } } },
      { event: tokenEvent('tenant-b') },
      { advanceMs: 10_000 },
      { event: tokenEvent('tenant-b') },
    ]);
    expect(r.outcomes.map((o) => o.result?.usageIdentifierKey)).toEqual([KEYS['tenant-a'].value, KEYS['tenant-a'].value, undefined, KEYS['tenant-b'].value]);
    expect(r.logs.length).toBeGreaterThanOrEqual(5);
    for (const line of r.logLines) {
      for (const key of Object.values(KEYS)) expect(line).not.toContain(key.value);
    }
    // what the log says instead: the key id
    expect(decisions(r).map((d) => d.usageKeyId)).toEqual([KEYS['tenant-a'].id, KEYS['tenant-a'].id, KEYS['tenant-b'].id, KEYS['tenant-b'].id]);
  });

  test('a GetApiKey answer without a value, or not JSON, is a failed read and denies the tenant', async () => {
    let calls = 0;
    gateway.respondWith(() => (++calls === 1
      ? { status: 200, body: JSON.stringify({ id: KEYS['tenant-a'].id, enabled: true }) }
      : { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' }));
    const r = await run(gateway, [{ event: tokenEvent('tenant-a') }, { advanceMs: 6000 }, { event: tokenEvent('tenant-a') }]);
    expect(r.outcomes.map((o) => [o.result?.usageIdentifierKey, o.result?.policyDocument.Statement[0].Effect])).toEqual([[undefined, 'Deny'], [undefined, 'Deny']]);
    expect(decisions(r).map((d) => d.reason)).toEqual(['usage_key_unavailable', 'usage_key_unavailable']);
    expect(r.logs).toContainEqual(expect.objectContaining({ message: 'usage key lookup failed', apiKeyId: KEYS['tenant-a'].id, errorName: 'MissingKeyValue' }));
  });

  test('malformed usageKeys settings stop the function at init, naming each setting', async () => {
    const bad = { ...SETTINGS, usageKeys: { tenants: [{ tenantId: 'a b', apiKeyId: 'k1' }, { tenantId: 'x', apiKeyId: 'not-an-id!' }, { tenantId: 'x', apiKeyId: 'k3' }], cacheTtlMs: 1000 } };
    const r = await run(gateway, [{ event: tokenEvent('tenant-a') }], { AUTHORIZER_SETTINGS: JSON.stringify(bad) });
    expect(r.outcomes).toEqual([]);
    expect(r.output).toContain('usageKeys.tenants[0].tenantId must match');
    expect(r.output).toMatch(/usageKeys\.tenants\[1\]\.apiKeyId must be an API key id \(letters and digits\), got \\?"not-an-id!/);
    expect(r.output).toMatch(/usageKeys\.tenants\[2\]\.tenantId must not repeat a tenant, got \\?"x/);
    expect(r.output).toContain('usageKeys.cacheTtlMs must be an integer between 60000 and 86400000, got 1000');
    expect(gateway.requests).toEqual([]);
  });
});
