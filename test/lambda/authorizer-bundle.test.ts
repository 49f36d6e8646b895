import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import * as path from 'node:path';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { policyAllows } from '../helpers/iam-policy';

// The shipped bundle (assets/authorizer/index.js), each case in a fresh child process with
// its own AUTHORIZER_SETTINGS, the way a Lambda environment starts.
const BUNDLE = path.join(ASSETS_DIR, 'authorizer', 'index.js');
const ISSUER = 'https://issuer.bundle.test';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' };
const ROUTES = [
  { method: 'GET', path: '/orders', scopes: ['orders:read'] },
  { method: 'GET', path: '/orders/{id}', scopes: ['orders:read'] },
  { method: 'POST', path: '/orders', scopes: ['orders:write'] },
];

function token(claims: Record<string, unknown> = {}): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${b64({ alg: 'EdDSA', kid: 'ed-1' })}.${b64({
    'iss': ISSUER, 'aud': 'api', 'sub': 'user-1', 'scope': 'orders:read', 'custom:tenant_id': 't-1', 'exp': Math.floor(Date.now() / 1000) + 600, ...claims,
  })}`;
  return `${head}.${sign(null, Buffer.from(head), privateKey).toString('base64url')}`;
}

/** Invoke the bundle once per event in one cold process; each result is `{ result }` or `{ error }`. */
function invoke(settings: object, events: object[]): { outcomes: Array<{ result?: any; error?: string }>; output: string } {
  const script = `
    const { handler } = require(${JSON.stringify(BUNDLE)});
    (async () => {
      for (const e of ${JSON.stringify(events)}) {
        try { console.log('OUTCOME ' + JSON.stringify({ result: await handler(e) })); }
        catch (err) { console.log('OUTCOME ' + JSON.stringify({ error: err.message })); }
      }
    })();`;
  const run = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', AUTHORIZER_SETTINGS: JSON.stringify(settings), POWERTOOLS_METRICS_NAMESPACE: 'Test' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const output = run.stdout + run.stderr;
  const outcomes = run.stdout.split('\n').filter((l) => l.startsWith('OUTCOME ')).map((l) => JSON.parse(l.slice('OUTCOME '.length)));
  return { outcomes, output };
}

const SETTINGS = { issuers: [{ issuer: ISSUER, audiences: ['api'], algorithms: ['EdDSA'], jwks: { keys: [jwk] } }], routes: ROUTES, policyScope: 'api' };

describe('authorizer bundle', () => {
  test('a route the table does not know gets an explicit Deny even where a cached Allow glob covers it', () => {
    const bearer = `Bearer ${token()}`;
    const unknown = [`${PREFIX}GET/orders/42/refund`, `${PREFIX}DELETE/orders/42`];
    const { outcomes } = invoke(SETTINGS, [
      ...unknown.map((methodArn) => ({ type: 'TOKEN', authorizationToken: bearer, methodArn })),
      { type: 'TOKEN', authorizationToken: bearer, methodArn: `${PREFIX}GET/orders/42` },
    ]);
    expect(outcomes).toHaveLength(3);
    unknown.forEach((arn, i) => {
      expect(outcomes[i].result.policyDocument.Statement).toContainEqual({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [arn] });
      expect(policyAllows(outcomes[i].result.policyDocument, arn)).toBe(false);
    });
    expect(policyAllows(outcomes[2].result.policyDocument, `${PREFIX}GET/orders/42`)).toBe(true);
    expect(policyAllows(outcomes[2].result.policyDocument, `${PREFIX}POST/orders`)).toBe(false);
  });

  test('a Cognito issuer that lists no app clients stops the function at init, naming the setting', () => {
    const cognito = { issuers: [{ issuer: ISSUER, tokenUse: 'access', jwks: { keys: [jwk] }, algorithms: ['EdDSA'] }], routes: ROUTES };
    const { outcomes, output } = invoke(cognito, [{ type: 'TOKEN', authorizationToken: `Bearer ${token({ token_use: 'access', client_id: 'any' })}`, methodArn: `${PREFIX}GET/orders` }]);
    expect(outcomes).toEqual([]);
    expect(output).toMatch(/issuers\[0\]\.clientIds must list the accepted app clients, or issuers\[0\]\.anyClient must be true/);
  });
});
