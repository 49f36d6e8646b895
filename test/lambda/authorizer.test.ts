import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { SimpleFetcher } from 'aws-jwt-verify/https';
import { Authorizer } from '../../lambda-src/authorizer/authorizer';
import { answerHttpV2, answerRest, HttpApiV2Event, RestAuthorizerResponse } from '../../lambda-src/authorizer/events';
import { ThrottledJwksCache } from '../../lambda-src/authorizer/jwks-cache';
import { JsonConfig } from '../../lambda-src/shared';
import { AuthorizerSettings, parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import { captureOutput, jsonLines } from '../helpers/capture-output';
import { JwksServer, startJwksServer } from '../helpers/https-jwks-server';
import { policyAllows } from '../helpers/iam-policy';
import { loadJose } from '../helpers/jose';

const jose = loadJose();
const ISSUER = 'https://issuer.test';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const ROUTES = [
  { method: 'GET', path: '/orders', scopes: ['orders:read'] },
  { method: 'POST', path: '/orders', scopes: ['orders:write'] },
  { method: 'GET', path: '/orders/{id}', scopes: ['orders:read'] },
  { method: 'GET', path: '/health', scopes: [] },
];
const API_KEY = `tst_${randomBytes(32).toString('base64url')}`;

type Signer = { privateKey: Parameters<InstanceType<ReturnType<typeof loadJose>['SignJWT']>['sign']>[0]; jwk: Record<string, string> };
let rsa: Signer;
let ec: Signer;
let server: JwksServer;

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' } as unknown as Record<string, string>;
  return { privateKey, jwk };
}

interface TokenOptions {
  signer?: Signer;
  alg?: string;
  kid?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
  claims?: Record<string, unknown>;
}

async function token(o: TokenOptions = {}): Promise<string> {
  const signer = o.signer ?? rsa;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new jose.SignJWT({ 'scope': 'orders:read', 'custom:tenant_id': 'tenant-a', ...o.claims })
    .setProtectedHeader({ alg: o.alg ?? signer.jwk.alg, kid: o.kid ?? signer.jwk.kid })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? 'api')
    .setSubject('user-1')
    .setIssuedAt(now)
    .setExpirationTime(o.exp ?? now + 600);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(signer.privateKey);
}

function settings(overrides: Record<string, unknown> = {}): AuthorizerSettings {
  return parseAuthorizerSettings(new JsonConfig('AUTHORIZER_SETTINGS', {
    issuers: [{ issuer: ISSUER, audiences: ['api'], jwksUri: server.jwksUri }],
    apiKeys: [{ id: 'partner-1', sha256: createHash('sha256').update(API_KEY).digest('hex'), tenantId: 'tenant-k', scopes: ['orders:write'] }],
    routes: ROUTES,
    ...overrides,
  }));
}

function authorizer(overrides: Record<string, unknown> = {}, clock = { now: Date.now() }) {
  const s = settings(overrides);
  const now = () => clock.now;
  const jwksCache = new ThrottledJwksCache({
    minRefetchIntervalMs: s.jwksMinRefetchIntervalMs,
    fetchTimeoutMs: s.jwksFetchTimeoutMs,
    now,
    fetcher: new SimpleFetcher({ defaultRequestOptions: { ca: server.ca, timeout: 300, responseTimeout: 300 } }),
  });
  return new Authorizer(s, { now, jwksCache });
}

const tokenEvent = (authorizationToken: string | undefined, resource = 'GET/orders') =>
  ({ type: 'TOKEN' as const, authorizationToken, methodArn: PREFIX + resource });

async function reasonFor(a: Authorizer, authorizationToken: string | undefined): Promise<string> {
  const out = await answerRest(a, tokenEvent(authorizationToken));
  return out.record.reason;
}

beforeAll(async () => {
  rsa = await keyPair('RS256', 'rsa-1');
  ec = await keyPair('ES256', 'ec-1');
  server = await startJwksServer([rsa.jwk, ec.jwk]);
});
afterAll(async () => server.stop());
beforeEach(() => {
  server.setMode('up');
  server.setKeys([rsa.jwk, ec.jwk]);
});

describe('authorizer: valid credentials', () => {
  test('an RS256 token with the route scope gets an Allow policy and a flat context', async () => {
    const out = await answerRest(authorizer(), tokenEvent(`Bearer ${await token()}`));
    expect(out.unauthorized).toBe(false);
    expect(out.record).toMatchObject({ decision: 'allow', reason: 'allowed', tenantId: 'tenant-a', cache: 'miss', route: 'GET /orders' });
    expect(out.response!.principalId).toBe('user-1');
    expect(out.response!.context).toEqual({ tenantId: 'tenant-a', sub: 'user-1', scopes: 'orders:read', authType: 'jwt', iss: ISSUER, clientId: 'api' });
    for (const v of Object.values(out.response!.context)) expect(typeof v).toBe('string');
  });

  test('an ES256 token verifies against the EC key of the JWKS', async () => {
    const out = await answerRest(authorizer(), tokenEvent(`Bearer ${await token({ signer: ec })}`));
    expect(out.record.decision).toBe('allow');
  });

  test('the cached policy allows every route the scopes reach and nothing else', async () => {
    const out = await answerRest(authorizer(), tokenEvent(`Bearer ${await token()}`));
    expect(out.response!.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}GET/orders`, `${PREFIX}GET/orders/*`, `${PREFIX}GET/health`] },
    ]);
  });

  test('with caching off the policy covers only the invoked method ARN', async () => {
    const out = await answerRest(authorizer({ policyScope: 'method' }), tokenEvent(`Bearer ${await token()}`, 'GET/orders/42'));
    expect(out.response!.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}GET/orders/42`] }]);
  });

  test('a token without the route scope is authenticated but denied (403, not 401)', async () => {
    const out = await answerRest(authorizer(), tokenEvent(`Bearer ${await token()}`, 'POST/orders'));
    expect(out.unauthorized).toBe(false);
    expect(out.record).toMatchObject({ decision: 'deny', reason: 'insufficient_scope' });
  });

  test('a repeated token is answered from the token cache without verifying again', async () => {
    const a = authorizer();
    const t = `Bearer ${await token()}`;
    // aws-jwt-verify checks RS256 signatures with crypto.createVerify: count those calls
    const signatureChecks = jest.spyOn(jest.requireActual<typeof import('node:crypto')>('node:crypto'), 'createVerify');
    try {
      const first = await answerRest(a, tokenEvent(t));
      expect(first.record).toMatchObject({ decision: 'allow', cache: 'miss' });
      expect(signatureChecks).toHaveBeenCalledTimes(1);
      const second = await answerRest(a, tokenEvent(t, 'GET/orders/7'));
      expect(second.record).toMatchObject({ decision: 'allow', cache: 'hit' });
      expect(second.response!.principalId).toBe('user-1');
      expect(signatureChecks).toHaveBeenCalledTimes(1);
    } finally {
      signatureChecks.mockRestore();
    }
  });

  test('an API key is an alternative credential with its own tenant and scopes', async () => {
    const out = await answerRest(authorizer(), tokenEvent(`ApiKey ${API_KEY}`, 'POST/orders'));
    expect(out.record).toMatchObject({ decision: 'allow', authType: 'apiKey', tenantId: 'tenant-k' });
    expect(out.response!.principalId).toBe('apikey:partner-1');
  });

  test('REQUEST events read the Authorization header, then the API-key header', async () => {
    const a = authorizer();
    const bearer = await answerRest(a, {
      type: 'REQUEST', methodArn: `${PREFIX}GET/orders/7`, resource: '/orders/{id}', httpMethod: 'GET', headers: { Authorization: `Bearer ${await token()}` },
    });
    expect(bearer.record).toMatchObject({ decision: 'allow', route: 'GET /orders/{id}' });
    const key = await answerRest(a, { type: 'REQUEST', methodArn: `${PREFIX}POST/orders`, resource: '/orders', httpMethod: 'POST', headers: { 'X-Api-Key': API_KEY } });
    expect(key.record).toMatchObject({ decision: 'allow', authType: 'apiKey' });
  });

  test('HTTP API payload 2.0 events get simple responses', async () => {
    const a = authorizer();
    const event = (headers: Record<string, string>, routeKey = 'GET /orders'): HttpApiV2Event =>
      ({ version: '2.0', type: 'REQUEST', routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc/$default/GET/orders', routeKey, headers });
    const ok = await answerHttpV2(a, event({ authorization: `Bearer ${await token()}` }));
    expect(ok.response).toEqual({ isAuthorized: true, context: expect.objectContaining({ tenantId: 'tenant-a', scopes: 'orders:read' }) });
    expect((await answerHttpV2(a, event({ authorization: `Bearer ${await token()}` }, 'POST /orders'))).response).toEqual({ isAuthorized: false });
    expect((await answerHttpV2(a, event({}))).response).toEqual({ isAuthorized: false });
  });
});

test('an EdDSA token verifies against a preloaded JWKS (the integ test\'s setup)', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' };
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'ed-1' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ 'iss': ISSUER, 'aud': 'api', 'sub': 'ed', 'scope': 'orders:read', 'custom:tenant_id': 't', 'exp': Date.now() / 1000 + 60 }))
    .toString('base64url');
  const jwt = `${header}.${payload}.${sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
  const a = authorizer({ issuers: [{ issuer: ISSUER, audiences: ['api'], jwksUri: server.jwksUri, algorithms: ['EdDSA'], jwks: { keys: [jwk] } }] });
  const before = server.requests();
  expect(await reasonFor(a, `Bearer ${jwt}`)).toBe('allowed');
  expect(server.requests()).toBe(before);
});

test('64 concurrent decisions in one environment each get their own principal', async () => {
  const a = authorizer();
  const tokens = await Promise.all(Array.from({ length: 64 }, (_, i) => token({ claims: { 'custom:tenant_id': `tenant-${i}` } })));
  const outs = await Promise.all(tokens.map((t) => answerRest(a, tokenEvent(`Bearer ${t}`))));
  outs.forEach((out, i) => expect(out.response!.context.tenantId).toBe(`tenant-${i}`));
});

test.each(['api', 'method'])('a request to a route the table does not know is denied (policy scope %s)', async (policyScope) => {
  // GET /orders/{id} needs orders:read, which the token has: its Allow glob GET/orders/*
  // also covers the unknown GET /orders/42/refund
  for (const resource of ['GET/orders/42/refund', 'GET/unknown', 'PATCH/orders']) {
    const out = await answerRest(authorizer({ policyScope }), tokenEvent(`Bearer ${await token()}`, resource));
    expect(out.record).toMatchObject({ decision: 'deny', reason: 'unknown_route' });
    expect(out.response!.policyDocument.Statement).toContainEqual({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [PREFIX + resource] });
    expect(policyAllows(out.response!.policyDocument, PREFIX + resource)).toBe(false);
  }
});

describe('authorizer: Cognito app clients', () => {
  const cognitoIssuer = (extra: Record<string, unknown>) => ({ issuer: ISSUER, audiences: [], jwksUri: server.jwksUri, tokenUse: 'access', ...extra });
  const accessToken = (clientId: string) => token({ claims: { token_use: 'access', client_id: clientId } });

  test('only access tokens of the listed app clients are accepted', async () => {
    const a = authorizer({ issuers: [cognitoIssuer({ clientIds: ['client-a'] })] });
    expect(await reasonFor(a, `Bearer ${await accessToken('client-a')}`)).toBe('allowed');
    expect(await reasonFor(a, `Bearer ${await accessToken('client-b')}`)).toBe('invalid_claims');
  });

  test('a Cognito issuer without app clients fails at init unless anyClient opts in', async () => {
    expect(() => settings({ issuers: [cognitoIssuer({})] })).toThrow(/issuers\[0\]\.clientIds must list the accepted app clients, or issuers\[0\]\.anyClient must be true/);
    const a = authorizer({ issuers: [cognitoIssuer({ anyClient: true })] });
    expect(await reasonFor(a, `Bearer ${await accessToken('client-b')}`)).toBe('allowed');
  });
});

describe('authorizer: bad tokens are 401 and never an allow', () => {
  test('a missing, empty or unknown-scheme credential is rejected', async () => {
    const a = authorizer();
    expect(await reasonFor(a, undefined)).toBe('missing_token');
    expect(await reasonFor(a, '')).toBe('missing_token');
    expect(await reasonFor(a, `Basic ${Buffer.from('u:p').toString('base64')}`)).toBe('invalid_token');
  });

  test('garbled and oversized tokens are rejected before any crypto', async () => {
    const a = authorizer();
    expect(await reasonFor(a, 'Bearer not-a-jwt')).toBe('invalid_token');
    expect(await reasonFor(a, 'Bearer a.b.c')).toBe('invalid_token');
    expect(await reasonFor(a, `Bearer ${'x'.repeat(9000)}.${'y'.repeat(10)}.z`)).toBe('invalid_token');
    const valid = await token();
    expect(await reasonFor(a, `Bearer ${valid.slice(0, -8)}AAAAAAAA`)).toBe('invalid_signature');
    // compact JWS has no base64 padding; aws-jwt-verify alone would accept the padded twin
    expect(await reasonFor(a, `Bearer ${valid}=`)).toBe('invalid_token');
  });

  test('alg none is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'rsa-1' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: ISSUER, aud: 'api', sub: 'x', exp: Date.now() / 1000 + 600 })).toString('base64url');
    const a = authorizer();
    expect(await reasonFor(a, `Bearer ${header}.${payload}.`)).toBe('invalid_token');
    expect(await reasonFor(a, `Bearer ${header}.${payload}.c2ln`)).toBe('invalid_signature');
  });

  test('HS256 signed with the RSA public key (algorithm confusion) is refused', async () => {
    const pem = createPublicKey({ key: rsa.jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const forged = await new jose.SignJWT({ 'scope': 'orders:read', 'custom:tenant_id': 't' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).setIssuer(ISSUER).setAudience('api').setSubject('x').setExpirationTime('10m')
      .sign(new TextEncoder().encode(String(pem)));
    expect(await reasonFor(authorizer(), `Bearer ${forged}`)).toBe('invalid_signature');
  });

  test('an algorithm outside the issuer allowlist is refused even when the key would verify it', async () => {
    expect(await reasonFor(authorizer({ issuers: [{ issuer: ISSUER, audiences: ['api'], jwksUri: server.jwksUri, algorithms: ['RS256'] }] }),
      `Bearer ${await token({ signer: ec })}`)).toBe('invalid_signature');
  });

  test('an unknown issuer is refused and its JWKS is never fetched', async () => {
    const before = server.requests();
    expect(await reasonFor(authorizer(), `Bearer ${await token({ iss: 'https://evil.test' })}`)).toBe('invalid_token');
    expect(server.requests()).toBe(before);
  });

  test('a wrong audience is refused', async () => {
    expect(await reasonFor(authorizer(), `Bearer ${await token({ aud: 'other' })}`)).toBe('invalid_claims');
  });

  test('expiry is checked with the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const a = authorizer();
    expect(await reasonFor(a, `Bearer ${await token({ exp: now - 120 })}`)).toBe('token_expired');
    expect(await reasonFor(a, `Bearer ${await token({ exp: now - 10 })}`)).toBe('allowed');
    expect(await reasonFor(a, `Bearer ${await token({ nbf: now + 120 })}`)).toBe('token_not_yet_valid');
  });

  test('a token without the tenant claim is refused', async () => {
    expect(await reasonFor(authorizer(), `Bearer ${await token({ claims: { 'custom:tenant_id': undefined } })}`)).toBe('invalid_claims');
    expect(await reasonFor(authorizer(), `Bearer ${await token({ claims: { 'custom:tenant_id': 'bad tenant!' } })}`)).toBe('invalid_claims');
  });

  test('a wrong API key is refused', async () => {
    expect(await reasonFor(authorizer(), `ApiKey ${API_KEY.slice(0, -2)}xx`)).toBe('invalid_api_key');
    expect(await reasonFor(authorizer(), 'ApiKey short')).toBe('invalid_api_key');
  });
});

describe('authorizer: JWKS availability', () => {
  test('a flood of unknown kids refetches the JWKS at most once per 10 s, and known kids keep verifying', async () => {
    const clock = { now: Date.now() };
    const a = authorizer({}, clock);
    expect(await reasonFor(a, `Bearer ${await token()}`)).toBe('allowed');
    const afterFirst = server.requests();
    expect(afterFirst).toBeGreaterThan(0);
    const flood: string[] = [];
    for (let i = 0; i < 30; i++) flood.push(await reasonFor(a, `Bearer ${await token({ kid: `unknown-${i}` })}`));
    flood.push(...await Promise.all(Array.from({ length: 30 }, async (_, i) => reasonFor(a, `Bearer ${await token({ kid: `parallel-${i}` })}`))));
    expect(new Set(flood)).toEqual(new Set(['unknown_kid']));
    expect(server.requests() - afterFirst).toBeLessThanOrEqual(1);
    expect(await reasonFor(a, `Bearer ${await token({ signer: ec, claims: { n: 2 } })}`)).toBe('allowed');
    clock.now += 10_001;
    await reasonFor(a, `Bearer ${await token({ kid: 'unknown-late' })}`);
    expect(server.requests() - afterFirst).toBeLessThanOrEqual(2);
  });

  test('a rotated key is picked up on its first use', async () => {
    const clock = { now: Date.now() };
    const a = authorizer({}, clock);
    expect(await reasonFor(a, `Bearer ${await token()}`)).toBe('allowed');
    const rotated = await keyPair('RS256', 'rsa-2');
    server.setKeys([rsa.jwk, ec.jwk, rotated.jwk]);
    clock.now += 10_001;
    expect(await reasonFor(a, `Bearer ${await token({ signer: rotated })}`)).toBe('allowed');
  });

  test('a JWKS server answering 500 or not at all means 401, never a crash', async () => {
    server.setMode('error');
    expect(await reasonFor(authorizer(), `Bearer ${await token()}`)).toBe('jwks_unavailable');
    server.setMode('hang');
    expect(await reasonFor(authorizer(), `Bearer ${await token()}`)).toBe('jwks_unavailable');
  });

  test('a JWKS server that is down means 401', async () => {
    const down = await startJwksServer([rsa.jwk]);
    await down.stop();
    const a = authorizer({ issuers: [{ issuer: ISSUER, audiences: ['api'], jwksUri: down.jwksUri }] });
    expect(await reasonFor(a, `Bearer ${await token()}`)).toBe('jwks_unavailable');
  });

  test('keys fetched earlier keep working while the JWKS server is down', async () => {
    const a = authorizer();
    expect(await reasonFor(a, `Bearer ${await token()}`)).toBe('allowed');
    server.setMode('error');
    expect(await reasonFor(a, `Bearer ${await token({ signer: ec })}`)).toBe('allowed');
  });

  test('a preloaded JWKS needs no network call before the first decision', async () => {
    const before = server.requests();
    const a = authorizer({ issuers: [{ issuer: ISSUER, audiences: ['api'], jwksUri: server.jwksUri, jwks: { keys: [rsa.jwk, ec.jwk] } }] });
    expect(await reasonFor(a, `Bearer ${await token()}`)).toBe('allowed');
    expect(server.requests()).toBe(before);
  });
});

describe('authorizer settings', () => {
  test('invalid settings fail at init with every problem named', () => {
    expect(() => parseAuthorizerSettings(new JsonConfig('AUTHORIZER_SETTINGS', {
      issuers: [{ issuer: 'http://plain.test', audiences: ['a'], algorithms: ['HS256'] }],
      routes: [{ method: 'FETCH', path: 'orders' }],
      clockToleranceSec: -1,
    }))).toThrow(/issuer must be an https URL.*algorithms may only hold.*method must be one of.*path must start with \//s);
    expect(() => parseAuthorizerSettings(new JsonConfig('AUTHORIZER_SETTINGS', { routes: [] }))).toThrow(/issuers or apiKeys must hold at least one entry.*routes must hold/s);
  });
});

describe('authorizer handler (index.ts)', () => {
  test('logs one decision line with a fingerprint and never the token', async () => {
    const env = {
      issuers: [{ issuer: ISSUER, audiences: ['api'], jwksUri: server.jwksUri, jwks: { keys: [rsa.jwk] } }],
      routes: ROUTES,
    };
    process.env.AUTHORIZER_SETTINGS = JSON.stringify(env);
    let handler!: (e: unknown) => Promise<unknown>;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module reads its settings at import
      handler = require('../../lambda-src/authorizer/index').handler;
    });
    const t = await token();
    let response: RestAuthorizerResponse | undefined;
    const lines = await captureOutput(async () => {
      response = await handler(tokenEvent(`Bearer ${t}`)) as RestAuthorizerResponse;
      await expect(handler(tokenEvent('Bearer garbage'))).rejects.toThrow(/^Unauthorized$/);
      await expect(handler(null)).rejects.toThrow(/^Unauthorized$/);
      await expect(handler({ type: 'TOKEN' })).rejects.toThrow(/^Unauthorized$/);
    });
    expect(response!.principalId).toBe('user-1');
    const text = lines.join('\n');
    expect(text).not.toContain(t);
    expect(text).not.toContain(t.split('.')[2]);
    expect(text).not.toContain('garbage');
    const decisions = jsonLines(lines).filter((l) => l.message === 'authorization decision');
    expect(decisions).toHaveLength(3);
    expect(decisions[0]).toMatchObject({ decision: 'allow', reason: 'allowed', tokenFp: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) });
    expect(decisions[1]).toMatchObject({ decision: 'unauthorized', reason: 'invalid_token' });
    delete process.env.AUTHORIZER_SETTINGS;
  });
});
