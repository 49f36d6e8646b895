import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fakeAwsCli } from '../helpers/fake-aws-cli';
import { startLoopbackServer, type LoopbackServer } from '../helpers/http-server';

// The ApiGatewayLab's lab-env.sh, sourced by bash with real curl and node against a loopback
// server standing in for the Cognito token endpoint. The AWS CLI is replaced by a recorder
// that answers the stack-output, client-secret and API-key queries (nothing reaches AWS).
const SCRIPT = path.join(__dirname, '..', '..', 'examples', 'api-gateway', 'scripts', 'lab-env.sh');
let server: LoopbackServer;
let bin: string;
let calls: string;
let tokenAnswer = { status: 200, body: JSON.stringify({ access_token: 'eyJ.test.token', token_type: 'Bearer', expires_in: 3600 }) };

beforeAll(async () => {
  server = await startLoopbackServer(() => tokenAnswer);
  ({ bin, calls } = fakeAwsCli('apigw-lab-scripts-', `
  *"OutputKey=='Url0'"*) echo "https://abc.execute-api.eu-west-1.amazonaws.com/dev/" ;;
  *"OutputKey=='Url1'"*) echo "https://abc.execute-api.eu-west-1.amazonaws.com/staging/" ;;
  *"OutputKey=='Url2'"*) echo "https://abc.execute-api.eu-west-1.amazonaws.com/prod/" ;;
  *"OutputKey=='UserPoolId'"*) echo "eu-west-1_pool" ;;
  *"OutputKey=='CafeClientId'"*) echo "cafe-client" ;;
  *"OutputKey=='PartnerClientId'"*) echo "partner-client" ;;
  *"OutputKey=='ApiKeyId0'"*) echo "key-cafe" ;;
  *"OutputKey=='ApiKeyId1'"*) echo "key-partner" ;;
  *"OutputKey=='TokenEndpoint'"*) echo "${server.url}/oauth2/token" ;;
  "cognito-idp describe-user-pool-client"*) echo "secret-of-\${*: -5:1}" ;;
  "apigateway get-api-key --api-key key-cafe"*) echo "cafe-api-key-value" ;;
  "apigateway get-api-key --api-key key-partner"*) echo "partner-api-key-value" ;;
`));
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  writeFileSync(calls, '');
  server.requests.length = 0;
});

function source(env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // Sourced as the guide says; the shell must survive a failure (no exit, no set -e).
  const script = `source ${JSON.stringify(SCRIPT)}; status=$?; printf '%s|%s|%s|%s|%s|%s\\n' "$DEV_URL" "$PROD_URL" "$TOKEN" "$API_KEY" "\${secret:-unset}" "$status"`;
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
}

describe('lab-env.sh', () => {
  test('exports the stage URLs, a client-credentials token of CafeApp and the cafe-app key, and keeps no secret in the shell', async () => {
    const out = await source();
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split('\n').pop()).toBe(
      'https://abc.execute-api.eu-west-1.amazonaws.com/dev/|https://abc.execute-api.eu-west-1.amazonaws.com/prod/|eyJ.test.token|cafe-api-key-value|unset|0');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/oauth2/token', body: 'grant_type=client_credentials' });
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('cafe-client:secret-of-cafe-client').toString('base64')}`);
    expect(readFileSync(calls, 'utf8')).toContain('cognito-idp describe-user-pool-client --user-pool-id eu-west-1_pool --client-id cafe-client');
  });

  test('CLIENT=partner uses the partner client and the partner key', async () => {
    const out = await source({ CLIENT: 'partner' });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('|partner-api-key-value|');
    expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('partner-client:secret-of-partner-client').toString('base64')}`);
  });

  test('a refused token request stops the script with the endpoint\'s answer', async () => {
    tokenAnswer = { status: 400, body: JSON.stringify({ error: 'invalid_client' }) };
    try {
      const out = await source();
      // The shell lives on and sees the failure; no token and no key were exported.
      expect(out.code).toBe(0);
      expect(out.stdout.trim().split('\n').pop()).toBe('||||unset|1');
      expect(out.stderr).toContain('no access_token in: {"error":"invalid_client"}');
      expect(readFileSync(calls, 'utf8')).not.toContain('get-api-key');
    } finally {
      tokenAnswer = { status: 200, body: JSON.stringify({ access_token: 'eyJ.test.token', token_type: 'Bearer', expires_in: 3600 }) };
    }
  });
});
