import { invocationContext, loadBreakerEnvironment, useLocalAws } from './circuit-breaker-bundle';
import { createCircuitTable, stateItem } from './circuit-breaker-harness';
import { loadSettings, SETTINGS_VARIABLE } from '../../lambda-src/circuit-breaker/config';
import { captureOutput, jsonLines } from '../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../helpers/dynalite';
import { LoopbackServer, startLoopbackServer } from '../helpers/http-server';

// The shipped bundle wired to dynalite, a loopback HTTP target and a loopback stand-in for
// the Lambda Invoke API.
let dynamo: LocalDynamo;
let target: LoopbackServer;
let lambdaApi: LoopbackServer;
let restoreEnvironment: () => void;

const apiEvent = (body = '{"sku":"a-1"}') => ({
  httpMethod: 'POST',
  path: '/items',
  queryStringParameters: { page: '2' },
  headers: { 'content-type': 'application/json', 'host': 'api.example' },
  body,
  isBase64Encoded: false,
  requestContext: {},
});

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo);
  target = await startLoopbackServer();
  lambdaApi = await startLoopbackServer();
  restoreEnvironment = useLocalAws({ dynamodb: dynamo.endpoint, lambda: lambdaApi.url });
});
afterAll(async () => {
  restoreEnvironment();
  await Promise.all([target.stop(), lambdaApi.stop()]);
  await dynamo.stop();
});

describe('settings', () => {
  test('invalid settings fail at init with one CIRCUIT_CONFIG error naming every bad setting', () => {
    const env = {
      [SETTINGS_VARIABLE]: JSON.stringify({
        name: 'inventory',
        tableName: '',
        target: { type: 'ftp' },
        callTimeoutMs: -1,
        halfOpenPermits: 2,
        halfOpenSuccessThreshold: 3,
        fallback: { type: 'static', statusCode: 700, body: 'x' },
        jitter: 2,
      }),
    };
    let error: any;
    try {
      loadSettings(env);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CIRCUIT_CONFIG', name: 'CircuitConfigError' });
    for (const fragment of [
      'tableName must be a non-empty string, got ""',
      'callTimeoutMs must be an integer between 1 and 900000, got -1',
      'jitter must be a number between 0 and 1, got 2',
      'target must be {type:"http",url} or {type:"lambda",functionName}, got {"type":"ftp"}',
      'fallback must be {type:"static",statusCode:100-599,body,headers?} or {type:"lambda",functionName}',
      'halfOpenPermits must be at least halfOpenSuccessThreshold (3), got 2',
    ]) expect(error.message).toContain(fragment);
  });

  test('a missing or malformed settings variable is a CIRCUIT_CONFIG error', () => {
    expect(() => loadSettings({})).toThrow(/CIRCUIT_BREAKER_SETTINGS is not set/);
    expect(() => loadSettings({ [SETTINGS_VARIABLE]: '{oops' })).toThrow(/not valid JSON/);
  });

  test('defaults follow the runtime spec', () => {
    const settings = loadSettings({ [SETTINGS_VARIABLE]: JSON.stringify({ name: 'c', tableName: 't', target: { type: 'http', url: 'http://x' } }) });
    expect(settings).toMatchObject({
      failureRateThreshold: 50,
      minimumCalls: 10,
      windowMs: 10_000,
      buckets: 10,
      consecutiveFailureThreshold: 5,
      fleetFailureThreshold: 20,
      fleetFlushIntervalMs: 200,
      slowCallDurationMs: 5_000,
      callTimeoutMs: 5_000,
      openDurationMs: 30_000,
      maxOpenDurationMs: 300_000,
      halfOpenPermits: 3,
      halfOpenSuccessThreshold: 3,
      probeLeaseMs: 10_000,
      stateRefreshMs: 1_000,
      maxStaleMs: 5_000,
      storeTimeoutMs: 150,
      storeMaxAttempts: 2,
      fallbackOnFailure: true,
      prefetchOnInit: true,
    });
  });

  test('the bundle refuses to load with invalid settings', () => {
    expect(() => loadBreakerEnvironment({ name: 'bad', target: { type: 'http', url: 'nope' } })).toThrow(/CIRCUIT_CONFIG|invalid settings/);
  });
});

describe('bundle', () => {
  test('an API Gateway request is forwarded to the HTTP target and one EMF document is written', async () => {
    target.respondWith(() => ({ status: 201, body: '{"created":true}', headers: { 'x-target': 'yes' } }));
    const handler = loadBreakerEnvironment({ name: 'bundle-ok', target: { type: 'http', url: target.url } });
    const before = target.requests.length;
    let response: any;
    const lines = await captureOutput(async () => {
      response = await handler(apiEvent(), invocationContext());
    });
    expect(response).toMatchObject({ statusCode: 201, body: '{"created":true}', headers: expect.objectContaining({ 'x-target': 'yes' }) });
    const request = target.requests[before];
    expect(request).toMatchObject({ method: 'POST', url: '/items?page=2', body: '{"sku":"a-1"}' });
    expect(request.headers.host).not.toBe('api.example');
    const emf = jsonLines(lines).filter((r) => r._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ service: 'circuit-breaker', Circuit: 'bundle-ok', Calls: 1, Successes: 1, CircuitState: 0 });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'CdkServiceIntegration', Dimensions: [['service', 'Circuit']] });
  });

  test('without a fallback an open circuit answers API Gateway with 503 and Retry-After, and throws CIRCUIT_OPEN for other events', async () => {
    target.respondWith(() => ({ status: 500, body: 'boom' }));
    const handler = loadBreakerEnvironment({ name: 'bundle-open', target: { type: 'http', url: target.url }, consecutiveFailureThreshold: 1 });
    await captureOutput(async () => {
      expect(await handler(apiEvent(), invocationContext())).toMatchObject({ statusCode: 500, body: 'boom' });
    });
    expect(await stateItem(dynamo.client(), 'bundle-open')).toMatchObject({ st: 'OPEN' });
    let open: any;
    let thrown: any;
    const lines = await captureOutput(async () => {
      open = await handler(apiEvent(), invocationContext());
      thrown = await handler({ plain: true }, invocationContext()).catch((e) => e);
    });
    expect(open).toMatchObject({ statusCode: 503, headers: { 'retry-after': '30' } });
    expect(JSON.parse(open.body)).toEqual({ message: 'Service temporarily unavailable', circuit: 'bundle-open' });
    expect(thrown).toMatchObject({ code: 'CIRCUIT_OPEN', circuit: 'bundle-open', reason: 'open' });
    expect(jsonLines(lines).filter((r) => r._aws).map((r) => r.Rejected)).toEqual([1, 1]);
  });

  test('a new environment sees the OPEN state at its first call (separate module instance)', async () => {
    target.respondWith(() => ({ status: 200, body: 'fine' }));
    const second = loadBreakerEnvironment({ name: 'bundle-open', target: { type: 'http', url: target.url }, consecutiveFailureThreshold: 1 });
    const before = target.requests.length;
    await captureOutput(async () => {
      expect(await second(apiEvent(), invocationContext())).toMatchObject({ statusCode: 503 });
    });
    expect(target.requests.length).toBe(before);
  });

  test('a Lambda target that throws trips the circuit and the Lambda fallback answers with the reason', async () => {
    lambdaApi.respondWith((request) => {
      if (request.url.includes('/functions/inventory/')) {
        return { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"Error","errorMessage":"inventory down"}' };
      }
      const payload = JSON.parse(request.body);
      return { status: 200, body: JSON.stringify({ statusCode: 200, body: `cached (${payload.reason}, ${payload.circuit.state})` }) };
    });
    const handler = loadBreakerEnvironment({
      name: 'bundle-lambda',
      target: { type: 'lambda', functionName: 'inventory' },
      fallback: { type: 'lambda', functionName: 'inventory-cache' },
      consecutiveFailureThreshold: 2,
    });
    const answers: any[] = [];
    await captureOutput(async () => {
      for (let i = 0; i < 3; i++) answers.push(await handler({ sku: 'a-1' }, invocationContext()));
    });
    expect(answers.map((a) => a.body)).toEqual(['cached (failure, CLOSED)', 'cached (failure, OPEN)', 'cached (open, OPEN)']);
    const fallbackPayload = JSON.parse(lambdaApi.requests.find((r) => r.url.includes('inventory-cache'))!.body);
    expect(fallbackPayload).toMatchObject({ request: { sku: 'a-1' }, reason: 'failure', error: expect.stringContaining('inventory down') });
    expect(lambdaApi.requests.filter((r) => r.url.includes('/functions/inventory/invocations'))).toHaveLength(2);
  });

  test('a static fallback answers while open', async () => {
    target.respondWith(() => ({ status: 503, body: 'down' }));
    const handler = loadBreakerEnvironment({
      name: 'bundle-static',
      target: { type: 'http', url: target.url },
      consecutiveFailureThreshold: 1,
      fallback: { type: 'static', statusCode: 200, body: '{"items":[]}', headers: { 'x-fallback': '1' } },
    });
    await captureOutput(async () => {
      await handler(apiEvent(), invocationContext());
      expect(await handler(apiEvent(), invocationContext())).toEqual({ statusCode: 200, headers: { 'x-fallback': '1' }, body: '{"items":[]}' });
    });
  });
});
