import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BY_SUB_INDEX, bundlePath, createRegistryTable, REGISTRY_TABLE, registryItem } from './ws-harness';
import { runNodeAsync } from '../../../helpers/bundle-process';
import { LocalDynamo, LOCAL_CREDENTIALS, startDynalite } from '../../../helpers/dynalite';
import { startLoopbackServer } from '../../../helpers/http-server';
import { JwksServer, startJwksServer } from '../../../helpers/https-jwks-server';
import { loadJose } from '../../../helpers/jose';

// ws-authorizer, as shipped (assets/examples/iot-platform/ws-authorizer/index.js), each case
// a cold child process (its own JWKS cache, like a new Lambda environment) that trusts the
// loopback JWKS server's certificate, with the device registry in dynalite.

const jose = loadJose();
type Signer = { privateKey: Parameters<InstanceType<typeof jose.SignJWT>['sign']>[0]; jwk: Record<string, string> };

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PoolA';
const DEVICE_CLIENT = 'device-client-id';
const OPERATOR_CLIENT = 'operator-client-id';
const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect';

let dynamo: LocalDynamo;
let jwks: JwksServer;
let pool: Signer;
let stranger: Signer;
let caDir: string;

async function keyPair(kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } as unknown as Record<string, string> };
}

/** A Cognito ID token: device client, tenant-a, sub-dev-1 unless told otherwise. */
interface TokenOptions { signer?: Signer; kid?: string; iss?: string; aud?: string; exp?: number; sub?: string; claims?: Record<string, unknown> }

async function idToken(o: TokenOptions = {}): Promise<string> {
  const signer = o.signer ?? pool;
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ 'token_use': 'id', 'custom:tenant_id': 'tenant-a', 'cognito:username': 'tenant-a.dev-1', ...o.claims })
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? signer.jwk.kid })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? DEVICE_CLIENT)
    .setSubject(o.sub ?? 'sub-dev-1')
    .setIssuedAt(now - 60)
    .setExpirationTime(o.exp ?? now + 3600)
    .sign(signer.privateKey);
}

const connectEvent = (headers: Record<string, string> | null) => ({
  type: 'REQUEST',
  methodArn: METHOD_ARN,
  headers,
  multiValueHeaders: null,
  queryStringParameters: null,
  stageVariables: null,
  requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId: 'conn-1', domainName: 'abc123.execute-api.eu-west-1.amazonaws.com', stage: 'prod', apiId: 'abc123' },
});
const bearer = (token: string) => connectEvent({ 'Authorization': `Bearer ${token}`, 'Sec-WebSocket-Version': '13' });

interface Outcome { result?: any; error?: string }

/** Run the bundle once per event in one cold process; each outcome is `{ result }` or `{ error }`, with the JSON log lines. */
async function invoke(
  events: object[], env: { dynamoEndpoint?: string; jwksUri?: string } = {},
): Promise<{ outcomes: Outcome[]; logs: Array<Record<string, any>>; output: string }> {
  const settings = {
    issuer: ISSUER,
    jwksUri: env.jwksUri ?? jwks.jwksUri,
    deviceClientId: DEVICE_CLIENT,
    operatorClientId: OPERATOR_CLIENT,
    registryTable: REGISTRY_TABLE,
    bySubIndex: BY_SUB_INDEX,
  };
  const script = `
    const { handler } = require(${JSON.stringify(bundlePath('ws-authorizer'))});
    (async () => {
      for (const e of ${JSON.stringify(events)}) {
        try { console.log('OUTCOME ' + JSON.stringify({ result: await handler(e) })); }
        catch (err) { console.log('OUTCOME ' + JSON.stringify({ error: err.message })); }
      }
    })();`;
  const run = await runNodeAsync(['-e', script], {
    WS_AUTHORIZER_CONFIG: JSON.stringify(settings),
    NODE_EXTRA_CA_CERTS: path.join(caDir, 'ca.pem'),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamoEndpoint ?? dynamo.endpoint,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_NAMESPACE: 'Test',
  });
  const lines = run.stdout.split('\n');
  const outcomes = lines.filter((l) => l.startsWith('OUTCOME ')).map((l) => JSON.parse(l.slice('OUTCOME '.length)) as Outcome);
  const logs = [...lines, ...run.stderr.split('\n')].flatMap((l) => {
    try {
      const parsed = JSON.parse(l);
      return typeof parsed === 'object' && parsed !== null ? [parsed] : [];
    } catch {
      return [];
    }
  });
  if (outcomes.length !== events.length) throw new Error(`expected ${events.length} outcomes:\n${run.stdout}\n${run.stderr}`);
  return { outcomes, logs, output: run.stdout + run.stderr };
}

const allow = (context: Record<string, string>) => ({
  principalId: context.sub,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }] },
  context,
});
const deny = (principalId = 'anonymous') => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }] },
});
const reasons = (logs: Array<Record<string, any>>) => logs.filter((l) => l.message === 'authorization decision').map((l) => l.reason);

beforeAll(async () => {
  [pool, stranger] = await Promise.all([keyPair('pool-key-1'), keyPair('pool-key-1')]);
  jwks = await startJwksServer([pool.jwk]);
  caDir = mkdtempSync(path.join(os.tmpdir(), 'ws-authorizer-ca-'));
  writeFileSync(path.join(caDir, 'ca.pem'), jwks.ca);
  dynamo = await startDynalite();
  await createRegistryTable(dynamo);
  const db = dynamo.dynamoDb();
  await db.putItem({ TableName: REGISTRY_TABLE, Item: registryItem('tenant-a', 'dev-1', 'sub-dev-1') });
  await db.putItem({ TableName: REGISTRY_TABLE, Item: registryItem('tenant-a', 'dev-old', 'sub-dev-old', 'decommissioned') });
  await db.putItem({ TableName: REGISTRY_TABLE, Item: registryItem('tenant-b', 'dev-b', 'sub-dev-b') });
});

afterAll(async () => {
  await jwks.stop();
  await dynamo.stop();
  rmSync(caDir, { recursive: true, force: true });
});

describe('ws-authorizer', () => {
  test('a device token is allowed as role device with its tenant and registry deviceId', async () => {
    const { outcomes } = await invoke([bearer(await idToken())]);
    expect(outcomes).toEqual([{ result: allow({ tenantId: 'tenant-a', role: 'device', sub: 'sub-dev-1', deviceId: 'dev-1' }) }]);
  });

  test('an operator token is allowed as role operator', async () => {
    const token = await idToken({ aud: OPERATOR_CLIENT, sub: 'sub-op-1', claims: { 'cognito:username': 'alice' } });
    // the Authorization header is found whatever its case
    const { outcomes } = await invoke([connectEvent({ authorization: `bearer ${token}` })]);
    expect(outcomes).toEqual([{ result: allow({ tenantId: 'tenant-a', role: 'operator', sub: 'sub-op-1' }) }]);
  });

  test('a token of another pool or app client is denied', async () => {
    const otherPool = await idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PoolB', signer: stranger });
    const otherClient = await idToken({ aud: 'some-other-client' });
    const { outcomes, logs } = await invoke([bearer(otherPool), bearer(otherClient)]);
    expect(outcomes).toEqual([{ result: deny() }, { result: deny() }]);
    expect(reasons(logs)).toEqual(['foreign_issuer', 'invalid_claims']);
  });

  test('a missing Authorization header is unauthorized without a network call', async () => {
    const registry = await startLoopbackServer();
    try {
      const before = jwks.requests();
      const { outcomes } = await invoke([connectEvent(null), connectEvent({ 'Sec-WebSocket-Version': '13' }), connectEvent({ Authorization: '  ' })],
        { dynamoEndpoint: registry.url });
      expect(outcomes).toEqual([{ error: 'Unauthorized' }, { error: 'Unauthorized' }, { error: 'Unauthorized' }]);
      expect(jwks.requests()).toBe(before);
      expect(registry.requests).toEqual([]);
    } finally {
      await registry.stop();
    }
  });

  test('a token signed by another key is denied, whether it names the pool key id or another one', async () => {
    const sameKid = await idToken({ signer: stranger });
    const otherKid = await idToken({ signer: stranger, kid: 'stranger-key' });
    const { outcomes, logs } = await invoke([bearer(sameKid), bearer(otherKid)]);
    expect(outcomes).toEqual([{ result: deny() }, { result: deny() }]);
    expect(reasons(logs)).toEqual(['invalid_signature', 'unknown_kid']);
  });

  test('an expired token is denied', async () => {
    const { outcomes, logs } = await invoke([bearer(await idToken({ exp: Math.floor(Date.now() / 1000) - 120 }))]);
    expect(outcomes).toEqual([{ result: deny() }]);
    expect(reasons(logs)).toEqual(['token_expired']);
  });

  test('a device token whose registry entry is decommissioned, absent or in another tenant is denied', async () => {
    const { outcomes, logs } = await invoke([
      bearer(await idToken({ sub: 'sub-dev-old' })),
      bearer(await idToken({ sub: 'sub-nobody' })),
      bearer(await idToken({ sub: 'sub-dev-b' })),
    ]);
    expect(outcomes).toEqual([{ result: deny('sub-dev-old') }, { result: deny('sub-nobody') }, { result: deny('sub-dev-b') }]);
    expect(reasons(logs)).toEqual(['device_decommissioned', 'unknown_device', 'tenant_mismatch']);
  });

  test('an access token, a tenant claim that is no tenant id, and a header in another scheme are denied', async () => {
    const { outcomes, logs } = await invoke([
      bearer(await idToken({ claims: { token_use: 'access' } })),
      bearer(await idToken({ aud: OPERATOR_CLIENT, claims: { 'custom:tenant_id': 'tenant-a#D#x' } })),
      bearer(await idToken({ aud: OPERATOR_CLIENT, claims: { 'custom:tenant_id': undefined } })),
      connectEvent({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
      bearer('not.a.jwt'),
    ]);
    expect(outcomes).toEqual([{ result: deny() }, { result: deny() }, { result: deny() }, { result: deny() }, { result: deny() }]);
    expect(reasons(logs)).toEqual(['not_an_id_token', 'invalid_tenant', 'invalid_tenant', 'invalid_token', 'invalid_token']);
  });

  test('a registry that cannot be read fails the invocation instead of denying a credential that may be good', async () => {
    const down = await startLoopbackServer(() => ({ status: 400, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{"message":"Requested resource not found"}' }));
    try {
      const operator = await idToken({ aud: OPERATOR_CLIENT, sub: 'sub-op-1' });
      const { outcomes } = await invoke([bearer(await idToken()), bearer(operator)], { dynamoEndpoint: down.url });
      expect(outcomes[0].error).toMatch(/dynamodb\.Query failed: ResourceNotFoundException/);
      // an operator needs no registry read
      expect(outcomes[1]).toEqual({ result: allow({ tenantId: 'tenant-a', role: 'operator', sub: 'sub-op-1' }) });
    } finally {
      await down.stop();
    }
  });

  test('signing keys that cannot be fetched fail the invocation instead of answering a Deny', async () => {
    const down = await startJwksServer([pool.jwk]);
    down.setMode('error');
    try {
      const token = await idToken();
      const { outcomes } = await invoke([bearer(token), bearer(token)], { jwksUri: down.jwksUri });
      // the second attempt inside the refetch interval is throttled, and still no Deny
      expect(outcomes.map((o) => [o.result, o.error?.replace(/:.*/s, '')])).toEqual([[undefined, "the user pool's signing keys are unavailable"], [undefined, "the user pool's signing keys are unavailable"]]);
    } finally {
      await down.stop();
    }
  });

  test('the token never appears in any log line, only its fingerprint', async () => {
    const tokens = [await idToken(), await idToken({ signer: stranger }), await idToken({ sub: 'sub-dev-old' })];
    const { output, logs } = await invoke(tokens.map(bearer));
    for (const token of tokens) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.split('.')[2]);
    }
    expect(logs.filter((l) => l.message === 'authorization decision').map((l) => l.tokenFp)).toEqual(tokens.map(() => expect.stringMatching(/^sha256:[0-9a-f]{12}$/)));
  });
});
