import { BreakerHandler, invocationContext, loadBreakerEnvironment, useLocalAws } from './circuit-breaker-bundle';
import { createCircuitTable, stateItem, windowFailures } from './circuit-breaker-harness';
import { captureOutput, jsonLines } from '../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../helpers/dynalite';
import { LoopbackServer, startLoopbackServer } from '../helpers/http-server';

// How the shipped bundle turns API Gateway and function URL events into requests to an
// HTTP target, with hostile input: a request that cannot be built, or that would leave the
// target's origin, is the caller's error (400, no fallback, no failure counted), and odd but
// valid paths and query strings arrive exactly encoded.
let dynamo: LocalDynamo;
let target: LoopbackServer;
let elsewhere: LoopbackServer;
let restoreEnvironment: () => void;
let circuits = 0;

const THRESHOLD = 3;
const FALLBACK = { type: 'static', statusCode: 200, body: '{"from":"fallback"}' };

const restEvent = (overrides: Record<string, unknown> = {}) => ({
  httpMethod: 'GET',
  path: '/items',
  headers: { accept: 'application/json' },
  queryStringParameters: null,
  body: null,
  isBase64Encoded: false,
  requestContext: {},
  ...overrides,
});

/** A new circuit on its own name, tripping after THRESHOLD failures in a row, with a fallback that must never answer here. */
function breaker(url = target.url, settings: Record<string, unknown> = {}): { handler: BreakerHandler; name: string } {
  const name = `requests-${++circuits}`;
  const handler = loadBreakerEnvironment({
    name,
    target: { type: 'http', url },
    fallback: FALLBACK,
    consecutiveFailureThreshold: THRESHOLD,
    minimumCalls: THRESHOLD,
    fleetFailureThreshold: THRESHOLD,
    fleetFlushIntervalMs: 0,
    ...settings,
  });
  return { handler, name };
}

/** What the target received for one event (nothing: undefined), and the answer. */
async function forward(handler: BreakerHandler, event: object): Promise<{ answer: any; received?: string }> {
  const before = target.requests.length;
  let answer: any;
  await captureOutput(async () => {
    answer = await handler(event, invocationContext());
  });
  return { answer, received: target.requests.slice(before).map((r) => r.url)[0] };
}

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo);
  target = await startLoopbackServer(() => ({ status: 200, body: '{"from":"target"}' }));
  elsewhere = await startLoopbackServer(() => ({ status: 200, body: '{"from":"elsewhere"}' }));
  restoreEnvironment = useLocalAws({ dynamodb: dynamo.endpoint, lambda: 'http://127.0.0.1:9' });
});
afterAll(async () => {
  restoreEnvironment();
  await Promise.all([target.stop(), elsewhere.stop()]);
  await dynamo.stop();
});

describe('requests that cannot be sent are the caller\'s error', () => {
  test.each([
    ['a header value outside Latin-1', { headers: { 'x-customer-name': '東京' } }, 'header "x-customer-name"'],
    ['a header name with a space', { headers: { 'x customer': 'a' } }, 'header name "x customer"'],
    ['a CR/LF in a header value', { headers: { 'x-note': 'a\r\nx-injected: yes' } }, 'header "x-note"'],
    ['a method that is not an HTTP token', { httpMethod: 'GET WITH SPACE' }, 'httpMethod'],
    ['a method fetch refuses (CONNECT)', { httpMethod: 'CONNECT' }, 'httpMethod'],
    ['a path without a leading slash', { path: 'items' }, 'path must start with "/"'],
    ['a lone surrogate in the path, which has no encoding', { path: '/a\ud800b' }, 'path and query must be well-formed text'],
    ['a query value with a lone surrogate', { queryStringParameters: { q: '\udfff' } }, 'path and query must be well-formed text'],
    ['a path that is not a string (direct invocation)', { path: 42 }, 'path and query must be well-formed text'],
  ])('%s gets 400 naming the field, reaches nothing and leaves the circuit CLOSED', async (_case, overrides, field) => {
    const { handler, name } = breaker();
    const before = target.requests.length;
    const lines = await captureOutput(async () => {
      for (let i = 0; i < THRESHOLD + 2; i++) {
        const answer = await handler(restEvent(overrides), invocationContext());
        expect(answer.statusCode).toBe(400);
        expect(JSON.parse(answer.body)).toMatchObject({ circuit: name, message: expect.stringContaining(field) });
      }
    });
    expect(target.requests.length).toBe(before);
    expect(jsonLines(lines).filter((r) => r._aws && (r.Failures || r.FallbackInvocations))).toEqual([]);
    expect(await windowFailures(dynamo.client(), name, Math.floor(Date.now() / 10_000) * 10_000)).toBe(0);
    // the circuit is still CLOSED: the next valid request reaches the target
    expect(await forward(handler, restEvent())).toMatchObject({ answer: { statusCode: 200, body: '{"from":"target"}' }, received: '/items' });
    expect((await stateItem(dynamo.client(), name))?.st ?? 'CLOSED').toBe('CLOSED');
  });

  test('neither the answer nor the log repeats the refused header value', async () => {
    const { handler } = breaker();
    let answer: any;
    const lines = await captureOutput(async () => {
      answer = await handler(restEvent({ headers: { authorization: 'Bearer s3cr3t\r\nx: 1' } }), invocationContext());
    });
    expect(answer.statusCode).toBe(400);
    expect(jsonLines(lines)).toContainEqual(expect.objectContaining({ message: 'request refused: it cannot be sent to the target' }));
    expect([answer.body, ...lines].filter((text) => text.includes('s3cr3t'))).toEqual([]);
  });
});

describe('the event path never leaves the target', () => {
  test.each([
    ['a port', (port: string) => `:${port}/steal`],
    ['a host suffix', () => '.attacker.example/steal'],
    ['user info', (port: string) => `@127.0.0.1:${port}/steal`],
  ])('a path that would change the origin through %s is refused and nothing is sent anywhere', async (_case, path) => {
    // A target without port or base path, like http://inventory.internal: the path is appended right after the host.
    const { handler } = breaker('http://127.0.0.1');
    const port = new URL(elsewhere.url).port;
    const before = elsewhere.requests.length;
    const { answer } = await forward(handler, restEvent({ path: path(port), headers: { authorization: 'Bearer caller-token' } }));
    expect(elsewhere.requests.slice(before).map((r) => `${r.url} ${r.headers.authorization}`)).toEqual([]);
    expect(answer.statusCode).toBe(400);
  });

  test('dot segments cannot climb above the target\'s base path', async () => {
    const { handler } = breaker(`${target.url}/api`);
    for (const path of ['/../admin', '/%2e%2e/admin', '/a/../../admin']) {
      const { answer, received } = await forward(handler, restEvent({ path }));
      expect({ path, status: answer.statusCode, received }).toEqual({ path, status: 400, received: undefined });
    }
    expect(await forward(handler, restEvent({ path: '/a/../b' }))).toMatchObject({ answer: { statusCode: 200 }, received: '/api/b' });
  });

  test('a redirect from the target is passed back to the caller, not followed to another origin', async () => {
    target.respondWith(() => ({ status: 302, headers: { location: `${elsewhere.url}/collect` }, body: '' }));
    try {
      const { handler } = breaker();
      const before = elsewhere.requests.length;
      const { answer } = await forward(handler, restEvent({ headers: { 'x-api-key': 'caller-key' } }));
      expect(answer).toMatchObject({ statusCode: 302, headers: { location: `${elsewhere.url}/collect` } });
      expect(elsewhere.requests.length).toBe(before);
    } finally {
      target.respondWith(() => ({ status: 200, body: '{"from":"target"}' }));
    }
  });
});

describe('odd but valid paths and query strings arrive exactly encoded', () => {
  test.each([
    ['? and # inside the path', { path: '/a?b#c/d' }, '/a%3Fb%23c/d'],
    ['spaces, non-ASCII and a bare %', { path: '/café latte/100%' }, '/caf%C3%A9%20latte/100%25'],
    ['an already encoded path (REST API, function URL) is not encoded twice', { path: '/a%2Fb/c%20d' }, '/a%2Fb/c%20d'],
    ['a backslash', { path: '/a\\b' }, '/a%5Cb'],
    ['query parameters with separators', { queryStringParameters: { 'q': 'a&b=c#d', 'x y': 'é' } }, '/items?q=a%26b%3Dc%23d&x%20y=%C3%A9'],
    ['multi-value query parameters', {
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], page: ['2'] },
    }, '/items?tag=a&tag=b&page=2'],
  ])('%s', async (_case, overrides, expected) => {
    const { handler } = breaker();
    const { answer, received } = await forward(handler, restEvent(overrides));
    expect({ status: answer.statusCode, received }).toEqual({ status: 200, received: expected });
  });

  test('a function URL event keeps its raw query string, with a # kept inside it', async () => {
    const { handler } = breaker(`${target.url}/api/`);
    const event = {
      version: '2.0',
      rawPath: '/items/42',
      rawQueryString: 'a=1&b=x%20y#frag',
      headers: { accept: 'application/json' },
      requestContext: { http: { method: 'GET' } },
      isBase64Encoded: false,
    };
    expect((await forward(handler, event)).received).toBe('/api/items/42?a=1&b=x%20y%23frag');
  });
});
