import * as path from 'node:path';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { invokeBundleScript, runNode, runNodeAsync } from '../helpers/bundle-process';
import { startLoopbackServer, type LoopbackServer } from '../helpers/http-server';
import { closedLoopbackPort } from '../helpers/loopback-port';
import { createTestDatabase, MARIADB_CA_FILE, MARIADB_PORT, type TestDatabase } from '../helpers/mariadb';

// The shipped RdsIntegrationLab bundles (assets/examples/rds-integration/*), each started
// cold in a child process with the environment the lab stack writes. IAM tokens cannot be
// verified locally, so these runs end at the database's refusal of the token or before the
// database; the SQL itself is tested against MariaDB in the examples-rds-*.test.ts files.
const bundle = (name: string) => path.join(ASSETS_DIR, 'examples', 'rds-integration', name, 'index.js');
const FAKE_AWS = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', AWS_LAMBDA_FUNCTION_NAME: 'lab' };
let testDb: TestDatabase;
let closedPort: number;

beforeAll(async () => {
  testDb = await createTestDatabase('rdslab_bundle');
  closedPort = await closedLoopbackPort();
});
afterAll(async () => {
  await testDb?.drop();
});

function outcome(output: string): { kind: 'RESULT' | 'ERROR'; value: any } {
  const line = output.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('ERROR '));
  if (!line) throw new Error(`no RESULT or ERROR line in:\n${output}`);
  const [kind, ...rest] = line.split(' ');
  return { kind: kind as 'RESULT' | 'ERROR', value: JSON.parse(rest.join(' ')) };
}

describe('items-api bundle', () => {
  const env = () => ({ ...FAKE_AWS, DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: closedPort, user: 'inventory_app', database: 'inventory' }) });
  const call = (method: string, rawPath: string, body?: string) => {
    const { stdout, stderr } = runNode(['-e', invokeBundleScript(bundle('items-api'), { rawPath, body, requestContext: { http: { method } } })], env());
    return { ...outcome(stdout + stderr), output: stdout + stderr };
  };

  test.each([
    ['POST', '/items', 400, '{"name":"x\'); DROP TABLE items; --","quantity":"7"}', /quantity must be an integer between 0 and 1000000, got \\"7\\"/],
    ['POST', '/items', 400, 'not json', /the body must be a JSON object/],
    ['POST', '/items', 413, JSON.stringify({ name: 'n', quantity: 1, description: 'x'.repeat(20_000) }), /at most 16384 are accepted/],
    ['GET', '/items/1;DELETE', 400, undefined, /the item id must be a positive integer/],
    ['PATCH', '/items/1', 405, '{}', /this route accepts GET, PUT, DELETE/],
  ])('%s %s with hostile input is answered %i without a connection', (method, rawPath, status, body, message) => {
    const { kind, value, output } = call(method, rawPath, body);
    expect(kind).toBe('RESULT');
    expect(value.statusCode).toBe(status);
    expect(value.body).toMatch(message);
    expect(output).not.toMatch(/database connected|DB_CONNECT_FAILED/);
  });

  test('a valid request connects: an unreachable proxy is a 503, logged by code, and counted as no connect', () => {
    const { value, output } = call('GET', '/items/1');
    expect(value).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
    expect(output).toMatch(/"message":"request failed".*"code":"DB_CONNECT_FAILED"/);
    expect(output).toContain('"DbConnects":0');
  });

  test('it presents an IAM token over verified TLS as the application user and never logs the token', () => {
    const { stdout, stderr } = runNode(['-e', invokeBundleScript(bundle('items-api'), { rawPath: '/whoami', requestContext: { http: { method: 'GET' } } })], {
      ...FAKE_AWS,
      DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: MARIADB_PORT, user: testDb.user, database: testDb.database }),
      NODE_EXTRA_CA_CERTS: MARIADB_CA_FILE,
    });
    const output = stdout + stderr;
    expect(outcome(output).value).toMatchObject({ statusCode: 500 });
    expect(output).toMatch(/"code":"DB_AUTH_FAILED"/);
    expect(output).toContain('"IamTokenMints":1');
    expect(output).not.toMatch(/X-Amz-Signature|Action=connect/);
  });
});

describe('migrate bundle', () => {
  const env = { ...FAKE_AWS, DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: 1, user: 'dbadmin', database: 'inventory' }) };

  test('fails at init naming SCHEMA_MIGRATION_CONFIG when it is missing or incomplete', () => {
    expect(runNode(['-e', invokeBundleScript(bundle('migrate'), { RequestType: 'Delete' })], env).stderr).toMatch(/environment variable SCHEMA_MIGRATION_CONFIG is not set/);
    const { stderr } = runNode(['-e', invokeBundleScript(bundle('migrate'), { RequestType: 'Delete' })], { ...env, SCHEMA_MIGRATION_CONFIG: JSON.stringify({ applicationUser: '' }) });
    expect(stderr).toMatch(/applicationUser must be a non-empty string.*applicationSecretArn must be a non-empty string, got nothing/);
  });

  test('Delete answers at once, without a connection or a secret read', () => {
    const { stdout, stderr } = runNode(['-e', invokeBundleScript(bundle('migrate'), { RequestType: 'Delete', PhysicalResourceId: 'schema' })],
      { ...env, SCHEMA_MIGRATION_CONFIG: JSON.stringify({ applicationUser: 'inventory_app', applicationSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:app' }) });
    expect(outcome(stdout + stderr)).toEqual({ kind: 'RESULT', value: { PhysicalResourceId: 'schema' } });
    expect(stdout + stderr).not.toMatch(/database|secretsmanager\./i);
  });
});

describe('connection-storm bundle', () => {
  let secrets: LoopbackServer;
  beforeAll(async () => {
    // A stand-in for the Secrets Manager endpoint, answering GetSecretValue with the test user's password.
    const secretString = JSON.stringify({ username: testDb.user, password: testDb.password });
    secrets = await startLoopbackServer(() => ({ status: 200, body: JSON.stringify({ SecretString: secretString }) }));
  });
  afterAll(async () => {
    await secrets?.stop();
  });

  const env = (storm?: object) => ({
    ...FAKE_AWS,
    DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: MARIADB_PORT, user: testDb.user, database: testDb.database }),
    ...(storm ? { STORM_CONFIG: JSON.stringify(storm) } : {}),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
  });

  test('a malformed direct-connection setting fails at init naming each field', () => {
    const { stdout, stderr } = runNode(['-e', invokeBundleScript(bundle('connection-storm'), { seconds: 1 })], env({ instance: { host: '', port: 0 } }));
    expect(stdout + stderr).toMatch(/invalid settings in STORM_CONFIG: instance\.host must be a non-empty string, got "".*instance\.port must be a port number \(1-65535\), got 0.*instance\.secretArn must be a secret ARN/);
  });

  test('a bad request is refused naming every problem', () => {
    const { stdout, stderr } = runNode(['-e', invokeBundleScript(bundle('connection-storm'), { mode: 'flood', seconds: 0 })], env());
    expect(outcome(stdout + stderr).value).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/mode must be "hold" or "sleep".*seconds must be an integer between 1 and 90/) });
  });

  test('target "instance" without the direct-connection exercise deployed says how to deploy it', () => {
    const { stdout, stderr } = runNode(['-e', invokeBundleScript(bundle('connection-storm'), { target: 'instance', seconds: 1 })], env());
    expect(outcome(stdout + stderr).value).toMatchObject({ code: 'DIRECT_ACCESS_NOT_DEPLOYED', message: expect.stringContaining('-c directAccess=true') });
    expect(stdout + stderr).toContain('"StormClientFailures":1');
  });

  test('the direct connection reads the password from Secrets Manager and trusts only the RDS CAs', async () => {
    const { stdout, stderr } = await runNodeAsync(['-e', invokeBundleScript(bundle('connection-storm'), { target: 'instance', seconds: 1 })],
      { ...env({ instance: { host: '127.0.0.1', port: MARIADB_PORT, secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:app' } }), NODE_EXTRA_CA_CERTS: MARIADB_CA_FILE });
    const output = stdout + stderr;
    // The local server's certificate is signed by a test CA: it must be refused even though Node trusts it.
    expect(outcome(output).value).toMatchObject({ code: 'DB_CONNECT_FAILED' });
    expect(output).toMatch(/"code":"HANDSHAKE_SSL_ERROR"/);
    expect(secrets.requests.map((r) => r.headers['x-amz-target'])).toContain('secretsmanager.GetSecretValue');
    expect(output).not.toContain(testDb.password);
  });
});
