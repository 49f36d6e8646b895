import * as http_ from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  callResolving, createCircuitTable, environment, Environment, FakeClock, outcome, stateItem, TABLE_NAME, testSettings, windowFailures,
} from './circuit-breaker-harness';
import { FallbackContext } from '../../lambda-src/circuit-breaker/breaker';
import { HttpResult, targetCall } from '../../lambda-src/circuit-breaker/targets';
import { LocalWindow } from '../../lambda-src/circuit-breaker/window';
import type { Lambda } from '../../lambda-src/shared/aws/lambda';
import { LocalDynamo, startDynalite } from '../helpers/dynalite';
import { LoopbackServer, startLoopbackServer } from '../helpers/http-server';

// The circuit-breaker state machine against dynalite (the shared state) and a loopback HTTP
// target switched between healthy, failing, slow and hanging. Several Breaker instances, each
// with its own DynamoDB client, stand for several Lambda execution environments.
let dynamo: LocalDynamo;
let target: LoopbackServer;
let client: DynamoDBClient;
let circuitCounter = 0;
const noLambda = (): Lambda => {
  throw new Error('no Lambda client in this test');
};

const healthy = () => ({ status: 200, body: '{"items":[1]}' });
const failing = () => ({ status: 503, body: '{"error":"down"}' });

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo);
  client = dynamo.client();
  target = await startLoopbackServer(healthy);
});
afterAll(async () => {
  await target.stop();
  await dynamo.stop();
});
beforeEach(() => target.respondWith(healthy));

const uniqueName = () => `inventory-${++circuitCounter}`;
const http = () => targetCall({ type: 'http', url: target.url }, { item: 1 }, noLambda);
const staticFallback = async (context: FallbackContext) => ({ statusCode: 503, headers: {}, body: `fallback:${context.reason}` });

async function callMany(env: Environment, count: number) {
  const results = [];
  for (let i = 0; i < count; i++) results.push(await outcome(env.breaker.protect(http(), { fallback: staticFallback })));
  return results;
}

describe('closed path', () => {
  test('a warm CLOSED call awaits no state store request', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName()), clock, 'env-1');
    await env.breaker.protect(http());
    expect(env.storeCalls).toEqual(['GetItem']); // the cold start reads once
    for (let i = 0; i < 50; i++) {
      clock.advance(10);
      expect(await env.breaker.protect(http())).toMatchObject({ statusCode: 200, body: '{"items":[1]}' });
    }
    expect(env.storeCalls).toEqual(['GetItem']);
    expect(env.metrics.filter((m) => m.name === 'Successes')).toHaveLength(51);
  });

  test('a due refresh runs alongside the call instead of before it', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName()), clock, 'env-1');
    await env.breaker.protect(http());
    clock.advance(1_500); // past stateRefreshMs, before maxStaleMs
    target.respondWith(() => ({ status: 200, body: 'slow', delayMs: 150 }));
    let readDoneBeforeCall = false;
    const call = env.breaker.protect({ run: async (signal) => { readDoneBeforeCall = env.storeCalls.length === 2; return http().run(signal); } });
    await call;
    expect(readDoneBeforeCall).toBe(false);
    await env.breaker.settled();
    expect(env.storeCalls).toEqual(['GetItem', 'GetItem']);
  });

  test('a client error (404) passes through and is not counted as a failure', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName(), { minimumCalls: 5, consecutiveFailureThreshold: 2 }), clock, 'env-1');
    target.respondWith(() => ({ status: 404, body: '{"message":"no such item"}' }));
    const results = await callMany(env, 10);
    expect(results.every((r) => r.ok && (r.value as HttpResult).statusCode === 404)).toBe(true);
    expect(env.breaker.state).toBe('CLOSED');
    expect(env.metrics.filter((m) => m.name === 'Failures')).toHaveLength(0);
  });

  test('without a fallback a failed HTTP call returns the target answer; with fallbackOnFailure the fallback answers', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const env = environment(dynamo, testSettings(name), clock, 'env-1');
    target.respondWith(failing);
    expect(await env.breaker.protect(http())).toMatchObject({ statusCode: 503, body: '{"error":"down"}' });
    expect(await env.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:failure' });
    const noFallbackOnFailure = environment(dynamo, testSettings(name, { fallbackOnFailure: false }), clock, 'env-2');
    expect(await noFallbackOnFailure.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ statusCode: 503, body: '{"error":"down"}' });
  });

  test('a compressed target answer is returned decoded, without its content-encoding header', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName()), clock, 'env-1');
    const gzipped = http_.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"items":[7]}'));
    });
    await new Promise<void>((resolve) => gzipped.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(gzipped.address() as AddressInfo).port}`;
      const result = await env.breaker.protect(targetCall({ type: 'http', url }, {}, noLambda)) as HttpResult;
      expect(result.body).toBe('{"items":[7]}');
      expect(result.headers['content-encoding']).toBeUndefined();
    } finally {
      gzipped.closeAllConnections();
      await new Promise((resolve) => gzipped.close(resolve));
    }
  });

  test('a thrown network error is rethrown unchanged when there is no fallback', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName()), clock, 'env-1');
    const original = new TypeError('fetch failed');
    const result = await outcome(env.breaker.protect({ run: () => Promise.reject(original) }));
    expect(result).toEqual({ ok: false, error: original });
    expect(env.metrics.filter((m) => m.name === 'Failures')).toHaveLength(1);
  });
});

describe('tripping', () => {
  test('trips on the failure rate once minimumCalls is reached', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const env = environment(dynamo, testSettings(name, { consecutiveFailureThreshold: 0, minimumCalls: 10, failureRateThreshold: 50 }), clock, 'env-1');
    for (let i = 0; i < 9; i++) {
      target.respondWith(i % 2 === 0 ? failing : healthy); // 5 failures of 9
      await env.breaker.protect(http(), { fallback: staticFallback });
      clock.advance(100);
    }
    expect(env.breaker.state).toBe('CLOSED');
    target.respondWith(healthy);
    await env.breaker.protect(http()); // 10 calls, 5 failed: 50 %
    expect(env.breaker.state).toBe('OPEN');
    expect(await stateItem(client, name)).toMatchObject({ st: 'OPEN', ver: '1', reason: 'failure-rate', attempt: '0', openUntil: String(clock.t + 30_000) });
  });

  test('failures older than the window do not count', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName(), { consecutiveFailureThreshold: 0, minimumCalls: 4 }), clock, 'env-1');
    target.respondWith(failing);
    await callMany(env, 3);
    clock.advance(11_000);
    target.respondWith(healthy);
    await callMany(env, 3);
    expect(env.breaker.state).toBe('CLOSED');
  });

  test('trips on consecutive failures', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const env = environment(dynamo, testSettings(name, { minimumCalls: 1000, consecutiveFailureThreshold: 5 }), clock, 'env-1');
    target.respondWith(failing);
    await callMany(env, 4);
    expect(env.breaker.state).toBe('CLOSED');
    await callMany(env, 1);
    expect(env.breaker.state).toBe('OPEN');
    expect(await stateItem(client, name)).toMatchObject({ st: 'OPEN', reason: 'consecutive-failures', updatedBy: 'env-1' });
    expect(env.logs).toContainEqual(expect.objectContaining({
      level: 'info', message: 'circuit transition', attributes: expect.objectContaining({ from: 'CLOSED', to: 'OPEN', ver: 1 }),
    }));
  });

  test('trips on the fleet failure count when each environment sees only one failure', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const settings = testSettings(name, { minimumCalls: 1000, consecutiveFailureThreshold: 0, fleetFailureThreshold: 20 });
    const envs = Array.from({ length: 20 }, (_, i) => environment(dynamo, settings, clock, `env-${i}`));
    target.respondWith(failing);
    await Promise.all(envs.map((env) => env.breaker.protect(http(), { fallback: staticFallback })));
    expect(await stateItem(client, name)).toMatchObject({ st: 'OPEN', reason: 'fleet-failures' });
  });

  test('a timed-out call is aborted and counts as a failure and a slow call', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName(), { callTimeoutMs: 100, consecutiveFailureThreshold: 2 }), clock, 'env-1');
    target.respondWith(() => ({ hang: true }));
    const started = Date.now();
    const first = await outcome(env.breaker.protect(http()));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(first).toMatchObject({ ok: false, error: { code: 'CIRCUIT_CALL_TIMEOUT', retryable: true } });
    expect(await env.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:timeout' });
    expect(env.metrics.filter((m) => m.name === 'Timeouts')).toHaveLength(2);
    expect(env.metrics.filter((m) => m.name === 'SlowCalls')).toHaveLength(2);
    expect(env.breaker.state).toBe('OPEN');
  });

  test('the remaining invocation time shortens the call timeout', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName(), { callTimeoutMs: 5_000, timeoutSafetyMarginMs: 100 }), clock, 'env-1');
    target.respondWith(() => ({ status: 200, body: 'late', delayMs: 400 }));
    const result = await outcome(env.breaker.protect(http(), { remainingMs: 250 }));
    expect(result).toMatchObject({ ok: false, error: { code: 'CIRCUIT_CALL_TIMEOUT', timeoutMs: 150 } });
  });

  test('a slow but successful call counts as slow and trips on the slow-call rate', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName(), {
      slowCallDurationMs: 20, slowCallRateThreshold: 100, minimumCalls: 3, consecutiveFailureThreshold: 0,
    }), clock, 'env-1');
    target.respondWith(() => ({ status: 200, body: 'slow', delayMs: 40 }));
    const results = await callMany(env, 3);
    expect(results.every((r) => r.ok && (r.value as HttpResult).body === 'slow')).toBe(true);
    expect(env.breaker.state).toBe('OPEN');
  });
});

describe('open', () => {
  async function openCircuit(name: string, clock: FakeClock, overrides = {}) {
    const settings = testSettings(name, { consecutiveFailureThreshold: 1, ...overrides });
    const opener = environment(dynamo, settings, clock, 'opener');
    target.respondWith(failing);
    await opener.breaker.protect(http(), { fallback: staticFallback });
    expect(opener.breaker.state).toBe('OPEN');
    return { settings, opener };
  }

  test('fails fast while open: the target is not called and the error carries retryAfterMs', async () => {
    const clock = new FakeClock();
    const { opener } = await openCircuit(uniqueName(), clock);
    const before = target.requests.length;
    clock.advance(10_000);
    const rejected = await outcome(opener.breaker.protect(http()));
    expect(rejected).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN', reason: 'open', retryAfterMs: 20_000 } });
    expect(await opener.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:open' });
    expect(target.requests.length).toBe(before);
    expect(opener.metrics.filter((m) => m.name === 'Rejected')).toHaveLength(2);
  });

  test('another environment adopts OPEN at its next refresh', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const settings = testSettings(name, { consecutiveFailureThreshold: 1 });
    const other = environment(dynamo, settings, clock, 'other');
    await other.breaker.protect(http());
    await openCircuit(name, clock);
    clock.advance(1_000);
    target.respondWith(healthy);
    const before = target.requests.length;
    await other.breaker.protect(http()); // refresh starts alongside this call
    await other.breaker.settled();
    expect(other.breaker.state).toBe('OPEN');
    expect(await outcome(other.breaker.protect(http()))).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' } });
    expect(target.requests.length).toBe(before + 1);
  });

  test('half-open admits at most halfOpenPermits probes across environments, then closes', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const { settings } = await openCircuit(name, clock, { halfOpenPermits: 3, halfOpenSuccessThreshold: 3 });
    const envs = Array.from({ length: 8 }, (_, i) => environment(dynamo, settings, clock, `env-${i}`));
    await Promise.all(envs.map((env) => env.breaker.protect(http(), { fallback: staticFallback }))); // all adopt OPEN
    clock.advance(30_000);
    target.respondWith(() => ({ status: 200, body: 'probe ok', delayMs: 50 }));
    const before = target.requests.length;
    const results = await Promise.all(envs.map((env) => env.breaker.protect(http(), { fallback: staticFallback })));
    expect(target.requests.length - before).toBe(3);
    expect(results.filter((r) => (r as HttpResult).body === 'probe ok')).toHaveLength(3);
    expect(results.filter((r) => (r as HttpResult).body === 'fallback:half-open-no-permit')).toHaveLength(5);
    expect(await stateItem(client, name)).toMatchObject({ st: 'CLOSED', ver: '3', attempt: '0', reason: 'probes-succeeded' });
    expect((await stateItem(client, name))?.hoIssued).toBeUndefined();
  });

  test('a failed probe re-opens the circuit with a doubled open duration', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const { opener } = await openCircuit(name, clock, { halfOpenPermits: 1, halfOpenSuccessThreshold: 1 });
    clock.advance(30_000);
    expect(await opener.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:failure' });
    expect(await stateItem(client, name)).toMatchObject({ st: 'OPEN', attempt: '1', reason: 'probe-failed', openUntil: String(clock.t + 60_000) });
  });

  test('recovers after the probing environment dies: the lease expires and another environment probes', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const { settings } = await openCircuit(name, clock, { halfOpenPermits: 1, halfOpenSuccessThreshold: 1, probeLeaseMs: 10_000 });
    const [doomed, survivor] = [environment(dynamo, settings, clock, 'doomed'), environment(dynamo, settings, clock, 'survivor')];
    clock.advance(30_000);
    let release: (v: HttpResult) => void = () => {};
    const hung = doomed.breaker.protect({ run: () => new Promise<HttpResult>((resolve) => { release = resolve; }) });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the doomed environment holds the only permit
    expect(await stateItem(client, name)).toMatchObject({ st: 'HALF_OPEN', hoIssued: '1', updatedBy: 'doomed' });

    target.respondWith(healthy);
    expect(await survivor.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:half-open-no-permit' });
    clock.advance(10_001); // the lease has expired
    expect(await survivor.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ statusCode: 200 });
    expect(await stateItem(client, name)).toMatchObject({ st: 'CLOSED', updatedBy: 'survivor' });

    release({ statusCode: 500, headers: {}, body: 'too late' }); // a result of the dead lease changes nothing
    await outcome(hung);
    expect(await stateItem(client, name)).toMatchObject({ st: 'CLOSED', updatedBy: 'survivor' });
  });

  test('an operator FORCED_OPEN rejects every call and DISABLED lets every call through', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const env = environment(dynamo, testSettings(name, { consecutiveFailureThreshold: 1 }), clock, 'env-1');
    const setState = (st: string) => client.send(new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: { pk: { S: `cb#${name}` } },
      UpdateExpression: 'SET st = :s, ver = :v, reason = :r',
      ExpressionAttributeValues: { ':s': { S: st }, ':v': { N: String(Date.now()) }, ':r': { S: 'operator' } },
    }));
    await setState('FORCED_OPEN');
    expect(await env.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:forced-open' });
    await setState('DISABLED');
    clock.advance(5_000);
    target.respondWith(failing);
    await callMany(env, 5);
    expect(env.breaker.state).toBe('DISABLED');
    expect(await stateItem(client, name)).toMatchObject({ st: 'DISABLED' });
  });
});

describe('fleet failure counters', () => {
  test.each([10, 50])('no failure count is lost with %i environments failing at once', async (count) => {
    const clock = new FakeClock();
    const name = uniqueName();
    const settings = testSettings(name, { minimumCalls: 1_000_000, consecutiveFailureThreshold: 0, fleetFailureThreshold: 1_000_000 });
    const envs = Array.from({ length: count }, (_, i) => environment(dynamo, settings, clock, `env-${i}`));
    target.respondWith(failing);
    const perEnvironment = 3;
    await Promise.all(envs.map(async (env) => {
      for (let i = 0; i < perEnvironment; i++) await env.breaker.protect(http(), { fallback: staticFallback });
    }));
    await Promise.all(envs.map((env) => env.breaker.settled()));
    const windowStart = Math.floor(clock.t / settings.fleetWindowMs) * settings.fleetWindowMs;
    expect(await windowFailures(client, name, windowStart)).toBe(count * perEnvironment);
    envs.forEach((env) => env.client.destroy());
  });

  test('flushes are coalesced: at most one per fleetFlushIntervalMs, and successes are never written', async () => {
    const clock = new FakeClock();
    const settings = testSettings(uniqueName(), {
      minimumCalls: 1000, consecutiveFailureThreshold: 0, fleetFailureThreshold: 1000, fleetFlushIntervalMs: 200,
    });
    const env = environment(dynamo, settings, clock, 'env-1');
    target.respondWith(failing);
    await callMany(env, 10); // same instant: one flush, the rest wait
    target.respondWith(healthy);
    await callMany(env, 10);
    expect(env.storeCalls.filter((c) => c === 'AddFailures')).toHaveLength(1);
  });
});

describe('state store failures', () => {
  let privateDynamo: LocalDynamo;
  beforeEach(async () => {
    privateDynamo = await startDynalite();
    await createCircuitTable(privateDynamo);
  });
  afterEach(async () => {
    await privateDynamo.stop().catch(() => undefined);
  });

  test('with DynamoDB stopped, calls are served from the last snapshot and nothing is thrown', async () => {
    const clock = new FakeClock();
    const env = environment(privateDynamo, testSettings(uniqueName(), { consecutiveFailureThreshold: 3 }), clock, 'env-1');
    await env.breaker.protect(http());
    await privateDynamo.stop();
    clock.advance(6_000); // the snapshot is stale beyond maxStaleMs
    const served = await callMany(env, 5);
    expect(served.every((r) => r.ok && (r.value as HttpResult).statusCode === 200)).toBe(true);
    expect(env.metrics.filter((m) => m.name === 'StateStoreErrors').length).toBeGreaterThan(0);

    // failures still trip the circuit, locally
    target.respondWith(failing);
    const failed = await callMany(env, 4);
    expect(failed.every((r) => r.ok)).toBe(true);
    expect(env.breaker.state).toBe('OPEN');
    expect(failed[3]).toMatchObject({ value: { body: 'fallback:open' } });
    expect(env.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('state store request failed') }));

    // after the open duration the environment probes locally and closes again
    target.respondWith(healthy);
    clock.advance(30_000);
    const probes = await callMany(env, 3);
    expect(probes.every((r) => r.ok && (r.value as HttpResult).statusCode === 200)).toBe(true);
    expect(env.breaker.state).toBe('CLOSED');
  });

  test('a cold environment with no snapshot and no store fails open', async () => {
    const clock = new FakeClock();
    await privateDynamo.stop();
    const env = environment(privateDynamo, testSettings(uniqueName()), clock, 'env-1');
    expect(await env.breaker.protect(http())).toMatchObject({ statusCode: 200 });
    const started = Date.now();
    for (let i = 0; i < 10; i++) await env.breaker.protect(http());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(env.storeCalls.filter((c) => c === 'GetItem')).toHaveLength(1); // no read storm while the store is down
  });

  test('while DynamoDB is down each environment probes on its own: N environments send up to N x halfOpenPermits probes', async () => {
    const clock = new FakeClock();
    const settings = testSettings(uniqueName(), { consecutiveFailureThreshold: 1, halfOpenPermits: 3, halfOpenSuccessThreshold: 3 });
    const envs = Array.from({ length: 8 }, (_, i) => environment(privateDynamo, settings, clock, `env-${i}`));
    target.respondWith(failing);
    await envs[0].breaker.protect(http(), { fallback: staticFallback });
    await Promise.all(envs.map((env) => env.breaker.protect(http(), { fallback: staticFallback }))); // all adopt OPEN
    expect(envs.map((env) => env.breaker.state)).toEqual(Array(8).fill('OPEN'));
    await privateDynamo.stop();
    clock.advance(30_000);
    target.respondWith(() => ({ status: 200, body: 'probe ok', delayMs: 50 }));
    const before = target.requests.length;
    // five concurrent callers per environment, when the fleet-wide limit would let three through in all
    const calls = envs.flatMap((env) => Array.from({ length: 5 }, () => env.breaker.protect(http(), { fallback: staticFallback })));
    const results = await Promise.all(calls);
    expect(target.requests.length - before).toBe(8 * 3);
    expect(results.filter((r) => (r as HttpResult).body === 'fallback:half-open-no-permit')).toHaveLength(8 * 2);
  });

  test('an OPEN snapshot keeps rejecting while the store is down', async () => {
    const clock = new FakeClock();
    const env = environment(privateDynamo, testSettings(uniqueName(), { consecutiveFailureThreshold: 1 }), clock, 'env-1');
    target.respondWith(failing);
    await env.breaker.protect(http(), { fallback: staticFallback });
    await privateDynamo.stop();
    clock.advance(10_000);
    expect(await env.breaker.protect(http(), { fallback: staticFallback })).toMatchObject({ body: 'fallback:open' });
  });
});

describe('fallback', () => {
  test('a fallback that throws becomes a FallbackError carrying both errors', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName()), clock, 'env-1');
    target.respondWith(failing);
    const result = await outcome(env.breaker.protect(http(), { fallback: () => Promise.reject(new Error('cache empty')) }));
    expect(result).toMatchObject({ ok: false, error: { code: 'CIRCUIT_FALLBACK_FAILED', message: expect.stringContaining('cache empty') } });
    expect(env.metrics.filter((m) => m.name === 'FallbackFailures')).toHaveLength(1);
  });

  test('the bulkhead rejects calls beyond maxConcurrent without counting them as failures', async () => {
    const clock = new FakeClock();
    const env = environment(dynamo, testSettings(uniqueName(), { maxConcurrent: 2 }), clock, 'env-1');
    await env.breaker.protect(callResolving('warm'));
    target.respondWith(() => ({ status: 200, body: 'ok', delayMs: 50 }));
    const results = await Promise.all([1, 2, 3].map(() => outcome(env.breaker.protect(http()))));
    expect(results.filter((r) => !r.ok && r.error.code === 'CIRCUIT_BULKHEAD_FULL')).toHaveLength(1);
    expect(env.metrics.filter((m) => m.name === 'Failures')).toHaveLength(0);
  });
});

describe('LocalWindow', () => {
  test('counts only the buckets inside the window, never storing latencies', () => {
    const window = new LocalWindow(10_000, 10);
    const t0 = 1_800_000_000_000;
    window.record(t0, true, false);
    window.record(t0 + 500, false, true);
    expect(window.totals(t0 + 9_999)).toEqual({ calls: 2, failures: 1, slow: 1 });
    window.record(t0 + 9_999, true, false);
    expect(window.totals(t0 + 10_000)).toEqual({ calls: 1, failures: 1, slow: 0 }); // the first bucket has left the window
    expect(window.totals(t0 + 20_000)).toEqual({ calls: 0, failures: 0, slow: 0 });
    window.record(t0 + 20_000, true, true);
    window.reset();
    expect(window.totals(t0 + 20_000)).toEqual({ calls: 0, failures: 0, slow: 0 });
  });
});
