import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fakeAwsCli } from '../../helpers/fake-aws-cli';
import { startLoopbackServer, type LoopbackServer } from '../../helpers/http-server';

// The IotPlatform exercise scripts, run by bash with real curl, jq and openssl. The AWS CLI is
// replaced by a recorder that answers the stack-output, API Gateway and Cognito calls and
// copies every `--cli-input-json file://...` document it is given (nothing reaches AWS); a
// loopback server stands in for the REST API.
const SCRIPTS = path.join(__dirname, '..', '..', '..', 'examples', 'iot-platform', 'scripts');
const OPERATOR_TOKEN = 'eyJoperator.token.sig';
let server: LoopbackServer;
let bin: string;
let calls: string;
let inputs: string;
let keySource = 'HEADER';
let signInAnswer = OPERATOR_TOKEN;
let userExists = false;
let stateDir: string;

const OUTPUTS: Record<string, string> = {
  RestApiUrl: 'REPLACED_BY_SERVER_URL',
  TelemetryUrl: 'https://ingest.execute-api.eu-west-1.amazonaws.com/prod/telemetry',
  CommandsUrl: 'wss://ws.execute-api.eu-west-1.amazonaws.com/prod',
  DeviceServiceUrl: 'http://iot-alb-123.eu-west-1.elb.amazonaws.com',
  UserPoolId: 'eu-west-1_pool',
  DeviceClientId: 'device-client',
  OperatorClientId: 'operator-client',
  ClusterName: 'IotPlatform-cluster',
  DeviceServiceName: 'device-service',
  TelemetryStreamName: 'IotPlatform-stream',
  RejectedTelemetryQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/rejected',
  ReadingsTable: 'IotPlatform-Readings',
  RegistryTable: 'IotPlatform-Registry',
  RestApiId: 'restapi1',
  IncidentTopicArn: 'arn:aws:sns:eu-west-1:123456789012:incidents',
  DashboardName: 'IotPlatform-dashboard',
};

beforeAll(async () => {
  server = await startLoopbackServer(() => ({
    status: 201,
    body: JSON.stringify({ deviceId: 'sensor-1', tenantId: 'tenant-a', status: 'active', credentials: { username: 'tenant-a.sensor-1', password: 'Device-Pw-1!' } }),
  }));
  OUTPUTS.RestApiUrl = `${server.url}/prod/`;
  const state = mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'iot-lab-state-'));
  inputs = path.join(state, 'cli-inputs.log');
  const table = Object.entries(OUTPUTS).map(([k, v]) => `${k}\t${v}`).join('\n');
  writeFileSync(path.join(state, 'outputs.tsv'), table + '\n');
  // Each arm may read the test's switches from files, so one recorder serves every case.
  writeFileSync(path.join(state, 'key-source'), keySource);
  ({ bin, calls } = fakeAwsCli('iot-lab-scripts-', `
  *file://*) for a in "$@"; do case "$a" in file://*) cat "\${a#file://}" >> ${JSON.stringify(inputs)}; echo >> ${JSON.stringify(inputs)} ;; esac; done
     case "$*" in
       *admin-set-user-password*) ;;
       *initiate-auth*) cat ${JSON.stringify(path.join(state, 'sign-in'))} ;;
       *) echo "unexpected aws call: $*" >&2; exit 1 ;;
     esac ;;
  "cloudformation describe-stacks --stack-name IotPlatform --query Stacks[0].Outputs[].[OutputKey,OutputValue]"*) cat ${JSON.stringify(path.join(state, 'outputs.tsv'))} ;;
  "cloudformation describe-stacks --stack-name Missing"*) echo "An error occurred (ValidationError): Stack with id Missing does not exist" >&2; exit 254 ;;
  *"OutputKey=='"*) key="$(printf '%s' "$*" | sed -n "s/.*OutputKey=='\\([A-Za-z]*\\)'.*/\\1/p")"; awk -F '\\t' -v k="$key" '$1 == k { print $2 }' ${JSON.stringify(path.join(state, 'outputs.tsv'))} ;;
  "apigateway get-rest-api --rest-api-id restapi1"*) cat ${JSON.stringify(path.join(state, 'key-source'))} ;;
  *"get-usage-plans"*"iot-device-api-basic"*"restapi1"*) echo plan-basic ;;
  *"get-usage-plans"*"iot-device-api-premium"*"restapi1"*) echo plan-premium ;;
  "apigateway get-usage-plan-keys --usage-plan-id plan-basic"*) echo key-basic ;;
  "apigateway get-usage-plan-keys --usage-plan-id plan-premium"*) echo key-premium ;;
  "apigateway get-api-key --api-key key-basic --include-value"*) echo basic-key-value ;;
  "apigateway get-api-key --api-key key-premium --include-value"*) echo premium-key-value ;;
  "cognito-idp admin-create-user"*) if [ -f ${JSON.stringify(path.join(state, 'user-exists'))} ]; then
       echo "An error occurred (UsernameExistsException) when calling the AdminCreateUser operation: User account already exists" >&2; exit 254
     fi; echo "operator+tenant-a" ;;
`));
  stateDir = state;
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  writeFileSync(calls, '');
  writeFileSync(inputs, '');
  server.requests.length = 0;
  keySource = 'HEADER';
  signInAnswer = OPERATOR_TOKEN;
  userExists = false;
});

/** Writes the switches the recorder reads, then runs `script` with bash. */
function run(script: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  writeFileSync(path.join(stateDir, 'key-source'), keySource + '\n');
  writeFileSync(path.join(stateDir, 'sign-in'), signInAnswer + '\n');
  if (userExists) writeFileSync(path.join(stateDir, 'user-exists'), '');
  else rmSync(path.join(stateDir, 'user-exists'), { force: true });
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], {
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: stateDir, TMPDIR: process.env.TMPDIR ?? '/tmp', ...env },
      timeout: 20_000,
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** The file's permission bits in octal, e.g. `600`. */
function permissions(file: string): string {
  return statSync(file).mode.toString(8).slice(-3);
}

function awsCalls(): string[] {
  return readFileSync(calls, 'utf8').split('\n').filter((l) => l.length > 0);
}

describe('lab-env.sh', () => {
  const show = 'printf "%s|%s|%s|%s|%s|%s|%s\\n" "$REST_URL" "$TELEMETRY_URL" "$DEVICE_CLIENT_ID" "$DEVICE_SERVICE" "$API_KEY_SOURCE" "$BASIC_API_KEY" "$PREMIUM_API_KEY"';

  test('exports every stack output and both tier keys when the REST API takes keys from x-api-key, printing no key value', async () => {
    const out = await run(`source ${JSON.stringify(path.join(SCRIPTS, 'lab-env.sh'))}; status=$?; ${show}; echo "status=$status"; if type _iot_output >/dev/null 2>&1; then echo leaked; fi`);
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines.slice(-2)).toEqual([
      `${OUTPUTS.RestApiUrl}|${OUTPUTS.TelemetryUrl}|device-client|device-service|HEADER|basic-key-value|premium-key-value`,
      'status=0',
    ]);
    expect(out.stdout).not.toContain('leaked');
    // What the script printed itself names the URLs but no key value.
    const printed = lines.slice(0, -2).join('\n');
    expect(printed).toContain(`REST_URL=${OUTPUTS.RestApiUrl}`);
    expect(printed).not.toMatch(/key-value/);
    expect(out.stderr).not.toMatch(/key-value/);
    // One describe-stacks for all outputs; the plans are found by name and by this API's id.
    const log = awsCalls();
    expect(log.filter((l) => l.startsWith('cloudformation'))).toHaveLength(1);
    expect(log).toContain("apigateway get-usage-plans --query items[?name=='iot-device-api-basic' && contains(apiStages[].apiId, 'restapi1')].id | [0] --output text");
  });

  test('with the key source AUTHORIZER it reads no API key and exports both key variables empty', async () => {
    keySource = 'AUTHORIZER';
    const out = await run(`source ${JSON.stringify(path.join(SCRIPTS, 'lab-env.sh'))}; ${show}`);
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split('\n').pop()).toBe(`${OUTPUTS.RestApiUrl}|${OUTPUTS.TelemetryUrl}|device-client|device-service|AUTHORIZER||`);
    expect(out.stdout).toContain('send no x-api-key');
    expect(awsCalls().some((l) => l.includes('usage-plan') || l.includes('get-api-key'))).toBe(false);
  });

  test('a stack that does not exist returns 1, exports nothing and leaves the shell running', async () => {
    const out = await run(`STACK=Missing source ${JSON.stringify(path.join(SCRIPTS, 'lab-env.sh'))}; status=$?; ${show}; echo "alive status=$status"`);
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split('\n')).toEqual(['||||||', 'alive status=1']);
    expect(out.stderr).toContain('Stack with id Missing does not exist');
  });
});

describe('create-operator.sh', () => {
  const createOperator = (tenant: string) => `${JSON.stringify(path.join(SCRIPTS, 'create-operator.sh'))} ${tenant}`;

  test('creates operator+tenant-a with its tenant attribute, sets a permanent password and prints only the ID token', async () => {
    const out = await run(createOperator('tenant-a'));
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${OPERATOR_TOKEN}\n`);
    const log = awsCalls();
    expect(log[log.length - 3]).toBe('cognito-idp admin-create-user --user-pool-id eu-west-1_pool --username operator+tenant-a --message-action SUPPRESS '
      + '--user-attributes Name=custom:tenant_id,Value=tenant-a --query User.Username --output text');
    expect(log[log.length - 2]).toMatch(/^cognito-idp admin-set-user-password --cli-input-json file:\/\//);
    expect(log[log.length - 1]).toMatch(/^cognito-idp admin-initiate-auth --cli-input-json file:\/\/\S+ --query AuthenticationResult.IdToken --output text$/);
    const [setPassword, signIn] = readFileSync(inputs, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(setPassword).toMatchObject({ UserPoolId: 'eu-west-1_pool', Username: 'operator+tenant-a', Permanent: true });
    expect(signIn).toMatchObject({
      UserPoolId: 'eu-west-1_pool',
      ClientId: 'operator-client',
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'operator+tenant-a', PASSWORD: setPassword.Password },
    });
  });

  test('the generated password meets the pool policy and appears in no CLI argument and no output', async () => {
    const out = await run(createOperator('tenant-a'));
    expect(out.code).toBe(0);
    const { Password: password } = JSON.parse(readFileSync(inputs, 'utf8').trim().split('\n')[0]);
    expect(password).toMatch(/^[0-9a-f]{32}Aa1!$/);
    expect(readFileSync(calls, 'utf8')).not.toContain(password);
    expect(out.stdout + out.stderr).not.toContain(password);
    // A second run draws another password.
    writeFileSync(inputs, '');
    await run(createOperator('tenant-a'));
    expect(JSON.parse(readFileSync(inputs, 'utf8').trim().split('\n')[0]).Password).not.toBe(password);
  });

  test('an existing operator gets a new password and a token instead of an error', async () => {
    userExists = true;
    try {
      const out = await run(createOperator('tenant-a'));
      expect(out.code).toBe(0);
      expect(out.stdout).toBe(`${OPERATOR_TOKEN}\n`);
      expect(out.stderr).toContain('operator operator+tenant-a exists; giving it a new password');
    } finally {
      userExists = false;
    }
  });

  test('a tenant id outside the pattern stops before any AWS call, naming the pattern and the value', async () => {
    const out = await run(createOperator("'tenant a#1'"));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('TENANT must match ^[A-Za-z0-9._-]{1,64}$, got "tenant a#1"');
    expect(awsCalls()).toEqual([]);
  });

  test('a sign-in answered with a challenge instead of a token fails naming the user and prints no token', async () => {
    signInAnswer = 'None';
    const out = await run(createOperator('tenant-b'));
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('no ID token for operator+tenant-b');
  });
});

describe('register-device.sh and device-token.sh', () => {
  test('registration posts the v1 body with the bearer token and key from a header file, and keeps the answer mode 600', async () => {
    const out = await run(`${JSON.stringify(path.join(SCRIPTS, 'register-device.sh'))} sensor-1 'Boiler room'`, { TOKEN: OPERATOR_TOKEN, API_KEY: 'basic-key-value' });
    expect(out.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/prod/v1/devices', body: '{"deviceId":"sensor-1","name":"Boiler room"}' });
    expect(request.headers).toMatchObject({ 'authorization': `Bearer ${OPERATOR_TOKEN}`, 'x-api-key': 'basic-key-value', 'content-type': 'application/json' });
    const kept = path.join(stateDir, '.iot-lab', 'devices', 'sensor-1.json');
    expect(permissions(kept)).toBe('600');
    expect(JSON.parse(readFileSync(kept, 'utf8')).credentials.username).toBe('tenant-a.sensor-1');
    expect(JSON.parse(out.stdout).credentials.password).toBe('Device-Pw-1!');
  });

  test('device-token.sh signs the kept credentials in with the device client through an input file', async () => {
    signInAnswer = 'eyJdevice.token.sig';
    await run(`${JSON.stringify(path.join(SCRIPTS, 'register-device.sh'))} sensor-1`, { TOKEN: OPERATOR_TOKEN });
    writeFileSync(calls, '');
    writeFileSync(inputs, '');
    const out = await run(`${JSON.stringify(path.join(SCRIPTS, 'device-token.sh'))} sensor-1`);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('eyJdevice.token.sig\n');
    expect(JSON.parse(readFileSync(inputs, 'utf8').trim())).toEqual({
      ClientId: 'device-client', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'tenant-a.sensor-1', PASSWORD: 'Device-Pw-1!' },
    });
    expect(readFileSync(calls, 'utf8')).not.toContain('Device-Pw-1!');
  });

  test('a refused registration exits 1 with the API answer and keeps no file', async () => {
    server.respondWith(() => ({ status: 409, body: JSON.stringify({ error: 'DEVICE_EXISTS', message: 'device sensor-9 exists' }) }));
    try {
      const out = await run(`${JSON.stringify(path.join(SCRIPTS, 'register-device.sh'))} sensor-9`, { TOKEN: OPERATOR_TOKEN });
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('POST /v1/devices answered HTTP 409:');
      expect(out.stderr).toContain('DEVICE_EXISTS');
      expect(() => statSync(path.join(stateDir, '.iot-lab', 'devices', 'sensor-9.json'))).toThrow();
    } finally {
      server.respondWith(() => ({ status: 201, body: JSON.stringify({ credentials: { username: 'tenant-a.sensor-1', password: 'Device-Pw-1!' } }) }));
    }
  });
});

describe('make-device-ca.sh', () => {
  test('makes a CA and a client-auth device certificate that verifies against it, keys readable by the owner only', async () => {
    const dir = path.join(mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'iot-ca-')), 'ca');
    const out = await run(`${JSON.stringify(path.join(SCRIPTS, 'make-device-ca.sh'))} ${JSON.stringify(dir)} sensor-1 && openssl verify -CAfile ${dir}/ca.pem ${dir}/sensor-1.pem && openssl x509 -in ${dir}/sensor-1.pem -noout -ext extendedKeyUsage,basicConstraints`);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`${dir}/sensor-1.pem: OK`);
    expect(out.stdout).toContain('TLS Web Client Authentication');
    expect(out.stdout).toContain('CA:FALSE');
    expect(permissions(path.join(dir, 'ca.key'))).toBe('600');
    expect(permissions(path.join(dir, 'sensor-1.key'))).toBe('600');
    expect(awsCalls()).toEqual([]);
  });
});
