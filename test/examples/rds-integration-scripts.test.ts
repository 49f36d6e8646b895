import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fakeAwsCli } from '../helpers/fake-aws-cli';
import { startLoopbackServer, type LoopbackServer } from '../helpers/http-server';
import { expectedSigV4Signature, signatureOf } from '../helpers/sigv4';

// The RdsIntegrationLab exercise scripts, run by bash with real curl against a loopback
// server standing in for the function URL. The AWS CLI is replaced by a recorder that
// answers the stack-output queries and logs every other call (nothing reaches AWS).
const SCRIPTS = path.join(__dirname, '..', '..', 'examples', 'rds-integration', 'scripts');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
let server: LoopbackServer;
let bin: string;
let calls: string;

beforeAll(async () => {
  server = await startLoopbackServer((request) => (request.url === '/whoami'
    ? { status: 200, body: JSON.stringify({ currentUser: 'inventory_app@%', serverHost: 'ip-10-0-1-23', connectionId: 7 }) }
    : { status: 201, body: JSON.stringify({ item: { id: 1 } }) }));
  ({ bin, calls } = fakeAwsCli('rds-lab-scripts-', `
  *"OutputKey=='ItemsApiUrl'"*) echo "${server.url}/" ;;
  *"OutputKey=='ConnectionStormFunctionName'"*) echo "RdsIntegrationLab-ConnectionStorm" ;;
  "lambda invoke"*) echo 202 ;;
`));
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  writeFileSync(calls, '');
  server.requests.length = 0;
});

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(SCRIPTS, script), ...args], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: 'session-token-example',
        AWS_REGION: 'eu-west-1',
      },
      timeout: 20_000,
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('RdsIntegrationLab exercise scripts', () => {
  test('api.sh sends a SigV4-signed request (service lambda) with the session token and the JSON body', async () => {
    const { code, stdout } = await run('api.sh', ['POST', '/items', '{"name":"widget","quantity":5}']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\{"item":\{"id":1\}\}\nHTTP 201 in [\d.]+ s/);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/items', body: '{"name":"widget","quantity":5}' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-amz-security-token']).toBe('session-token-example');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/);
    expect(signatureOf(request)).toBe(expectedSigV4Signature(request, SECRET, 'eu-west-1', 'lambda'));
  });

  test('api.sh without a path explains its usage', async () => {
    const { code, stderr } = await run('api.sh', ['GET']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/usage: api\.sh METHOD PATH \[JSON\]/);
  });

  test('connection-storm.sh fires one asynchronous invocation per client with the mode, duration and target', async () => {
    const { code, stdout } = await run('connection-storm.sh', ['4', 'sleep', '20', 'instance']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ {2}4 invocations answered HTTP 202 \(202: queued\)/);
    const invokes = readFileSync(calls, 'utf8').split('\n').filter((l) => l.startsWith('lambda invoke'));
    expect(invokes).toHaveLength(4);
    for (const line of invokes) {
      expect(line).toContain('--function-name RdsIntegrationLab-ConnectionStorm --invocation-type Event');
      expect(line).toContain('--payload {"mode":"sleep","seconds":20,"target":"instance"}');
    }
  });

  test('failover-probe.sh prints one line per second with the status, latency and the server that answered', async () => {
    const { code, stdout } = await run('failover-probe.sh', ['2']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}HTTP 200 +[\d.]+s {2}ip-10-0-1-23$/);
    expect(server.requests.every((r) => r.url === '/whoami' && signatureOf(r) === expectedSigV4Signature(r, SECRET, 'eu-west-1', 'lambda'))).toBe(true);
  });
});
