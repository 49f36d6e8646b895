import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import type { Plugin } from 'esbuild';
import type { Case } from './support/init-case';
import { startIotInitCases } from './support/iot-init-cases';
import { summarize } from './support/stats';
import { signLink } from '../lambda-src/approval-shared/links';
import { ApprovalStore } from '../lambda-src/approval-shared/store';
import { dynamoDb } from '../lambda-src/shared/aws/dynamodb';
import { startAwsStub } from '../test/helpers/aws-stub';
import { LOCAL_CREDENTIALS, startDynalite } from '../test/helpers/dynalite';
import { startLoopbackServer } from '../test/helpers/http-server';
import { createTestDatabase, MARIADB_CA_FILE, MARIADB_PORT } from '../test/helpers/mariadb';

// Cold start of every shipped handler bundle (DESIGN decision 2, issues #15 and #25), in
// fresh `node` processes against local engines: dynalite for DynamoDB, MariaDB for db-query,
// one loopback stub answering like Step Functions, SSM, SNS and the Lambda Invoke API, and a
// loopback HTTP target for the circuit breaker. For each bundle:
//   init   = require() of the bundle with the template's environment (Lambda's INIT phase)
//   first  = its first invocation with a representative event (clients connect, sign, ...)
// median and p90 over RUNS processes. Handlers that call AWS are also built with AWS SDK v3
// instead of the shipped client - (a) SDK external as the Lambda runtime provides it,
// (b) SDK bundled (ESM entry points, minified) - by swapping lambda-src/shared/aws/<service>
// for bench/support/sdk-v3/<service>: same handler code, other client. Bare dependencies
// are timed the same way, so our own share is visible. Prints figures; asserts nothing.
//
//   npx projen bench init-time [--runs N] [--only NAME] [--baseline DIR]   (DIR: another build's assets/, timed alongside)
const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 20) || 20;
const ASSETS = path.join(ROOT, 'assets');
/** Only the handlers whose name contains this (all by default). */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';
/** Another build's assets/ (e.g. of the main branch), timed in the same run for comparison. */
const BASELINE = args.includes('--baseline') ? path.resolve(args[args.indexOf('--baseline') + 1]) : undefined;
const WORK = path.join(ROOT, '.tmp', 'init-time');
const CHILD = path.join(__dirname, 'support', 'cold-start-child.js');
const REGION = 'eu-west-1';

/** Lab handler folders whose init a lab bench measures (bench/lambda-integration-lab.ts: the café's eleven bundles). */
const MEASURED_BY_LAB_BENCH = ['examples/lambda-integration/'];

/** Goals of DESIGN decision 2 (init, median). */
const goalMs = (handler: string) => (handler === 'db-query' ? 60 : 30);

interface Sample {
  readonly initMs: number;
  readonly firstMs: number;
  readonly initCpuMs: number;
  readonly firstCpuMs: number;
  /** Node's own modules loaded by the require and by the first invocation. */
  readonly modules?: { readonly init: string[]; readonly first: string[] };
  readonly ok: boolean;
  readonly error?: string;
  /** The handler's answer to the first event (checked by the case's `check`). */
  readonly result?: unknown;
}

type Variant = 'shipped' | 'sdk-external' | 'sdk-bundled' | 'baseline';

/** Redirects lambda-src/shared/aws/<service> to its AWS SDK v3 twin in bench/support/sdk-v3. */
const sdkV3Clients: Plugin = {
  name: 'sdk-v3-clients',
  setup(build) {
    build.onResolve({ filter: /shared\/aws\/(dynamodb|lambda|sns|ssm|step-functions|rds-token)$/ }, (resolve) => {
      if (!resolve.importer.includes(`${path.sep}lambda-src${path.sep}`)) return undefined;
      const service = /shared\/aws\/([\w-]+)$/.exec(resolve.path)![1];
      return { path: path.join(__dirname, 'support', 'sdk-v3', `${service}.ts`) };
    });
  },
};

const variantOptions = (variant: Variant): Record<string, unknown> => (variant === 'sdk-bundled'
  ? { external: [], mainFields: ['module', 'main'], plugins: [sdkV3Clients] }
  : { plugins: [sdkV3Clients] });

interface Bundles {
  bundleHandler(entry: string, options: { outdir?: string; variant?: Record<string, unknown> }): Promise<{ file: string; bytes: number }>;
  findHandlerEntries(): Promise<string[]>;
}

async function bundles(): Promise<Bundles> {
  return await import(path.join(ROOT, 'scripts', 'handler-bundles.mjs')) as Bundles;
}

/**
 * One cold start of `bundle` in a new process with the case's environment. Asynchronous:
 * dynalite and the stubs live in this process and must keep answering meanwhile.
 */
async function coldStart(bundle: string, env: Record<string, string>, event: unknown): Promise<Sample> {
  const caseFile = path.join(WORK, 'case.json');
  const resultFile = path.join(WORK, 'result.json');
  writeFileSync(caseFile, JSON.stringify({ event }));
  rmSync(resultFile, { force: true });
  const child = spawn(process.execPath, [CHILD, bundle, caseFile, resultFile], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  try {
    return JSON.parse(readFileSync(resultFile, 'utf8')) as Sample;
  } catch {
    return { initMs: NaN, firstMs: NaN, initCpuMs: NaN, firstCpuMs: NaN, ok: false, error: `no result (status ${status}): ${stderr.slice(0, 300)}` };
  }
}

const round = (v: number) => +v.toFixed(1);
function figures(samples: Sample[]) {
  const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(0.9 * values.length) - 1)];
  const median = (key: keyof Sample) => round(summarize(samples.map((s) => s[key] as number)).median);
  return {
    initMedian: median('initMs'),
    initP90: round(p90(samples.map((s) => s.initMs))),
    firstMedian: median('firstMs'),
    firstP90: round(p90(samples.map((s) => s.firstMs))),
    initCpu: median('initCpuMs'),
    firstCpu: median('firstCpuMs'),
    failed: samples.filter((s) => !s.ok).length,
  };
}

const kb = (file: string) => round(statSync(file).size / 1024);

/**
 * CPU time V8 takes to compile `bundle` (the top-level parse every cold start pays before
 * any of its code runs), the least of 5 fresh processes: it grows with the bundled bytes.
 */
function compileCpuMs(bundle: string): number {
  const script = "const c=process.cpuUsage();new (require('node:vm').Script)(require('node:fs').readFileSync(process.argv[1],'utf8'));const u=process.cpuUsage(c);console.log((u.user+u.system)/1000)";
  return round(Math.min(...Array.from({ length: 5 }, () => Number(spawnSync(process.execPath, ['-e', script, bundle]).stdout.toString()))));
}

/** The Node modules most samples loaded in a phase, as a count and the notable ones by name. */
function builtinsLoaded(samples: Sample[], phase: 'init' | 'first'): string {
  const lists = samples.map((s) => s.modules?.[phase] ?? []).sort((a, b) => a.length - b.length);
  const typical = lists[Math.floor(lists.length / 2)] ?? [];
  const notable = ['crypto', 'tls', 'net', 'http', 'https', 'zlib', 'internal/deps/undici/undici'].filter((m) => typical.includes(m));
  return `${typical.length}${notable.length ? ` (${notable.map((m) => m.replace('internal/deps/undici/', '')).join(' ')})` : ''}`;
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const { bundleHandler, findHandlerEntries } = await bundles();

  // Engines and stubs on loopback.
  const dynamo = await startDynalite();
  for (const TableName of ['circuits', 'approvals', 'reservations']) {
    await dynamo.createTable({ TableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  }
  await dynamo.createTable({ TableName: 'cafe-orders', KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  const linkKey = 'k'.repeat(64);
  const aws = await startAwsStub({
    parameterValue: linkKey,
    secretString: JSON.stringify({ username: 'app_user', password: 'bench-password' }),
    invokeResult: () => JSON.stringify({ statusCode: 200, body: JSON.stringify({ sku: 'sku-1', available: 5, source: 'inventory' }) }),
  });
  const target = await startLoopbackServer(() => ({ status: 200, body: '{"items":[]}' }));
  const db = await createTestDatabase('initbench');
  // Retries on: the parent's sockets sit idle while the children run.
  // The IoT platform's handlers: their tables in this dynalite, their own loopback stand-ins.
  const iot = await startIotInitCases(dynamo, WORK);
  const approvals = new ApprovalStore(dynamoDb({ endpoint: dynamo.endpoint, region: 'local', credentials: LOCAL_CREDENTIALS }), 'approvals');

  // The template's environment: region, credentials, function name (aws-lite and the SDKs
  // read them), endpoints of the local engines, and each handler's settings variable.
  const lambdaEnv = {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: 'bench-token',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    NODE_OPTIONS: '--enable-source-maps=false',
    POWERTOOLS_METRICS_NAMESPACE: 'Bench',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SFN: aws.url,
    AWS_ENDPOINT_URL_SSM: aws.url,
    AWS_ENDPOINT_URL_SNS: aws.url,
    AWS_ENDPOINT_URL_LAMBDA: aws.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
  };
  // db-query and the RDS lab's handlers connect to MariaDB as an RDS Proxy client would.
  const dbEnv = { DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: MARIADB_PORT, user: db.user, database: db.database }), NODE_EXTRA_CA_CERTS: MARIADB_CA_FILE };
  const refusal = 'IAM token minted, TLS connect; MariaDB cannot check IAM tokens, so it ends at the refusal (DB_AUTH_FAILED)';
  const sqsRecord = (body: string) => ({
    messageId: 'm-1',
    receiptHandle: 'rh',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'sns', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
    awsRegion: REGION,
  });
  const orderEnvelope = (orderId: string) => JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-${orderId}`,
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders',
    Timestamp: new Date().toISOString(),
    Message: JSON.stringify({ eventType: 'order.created', orderId, userId: 'u-1', sku: 'sku-1', quantity: 1, status: 'CONFIRMED' }),
  });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${b64({ alg: 'RS256', kid: 'bench', typ: 'JWT' })}.${b64({ 'iss': 'https://issuer.bench', 'aud': 'api', 'sub': 'u', 'scope': 'orders:read', 'custom:tenant_id': 't-1', 'iat': Math.floor(Date.now() / 1000), 'exp': Math.floor(Date.now() / 1000) + 3600 })}`;
  const token = `${head}.${cryptoSign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
  const apiEvent = { httpMethod: 'GET', path: '/items', headers: { accept: 'application/json' }, queryStringParameters: null, body: null, isBase64Encoded: false, requestContext: {} };

  const allCases: Case[] = [
    {
      handler: 'approval-callback',
      callsAws: true,
      env: { APPROVAL_SETTINGS: JSON.stringify({ tableName: 'approvals', keySecretName: 'link-key', workflowName: 'Bench' }) },
      note: 'POST approve: SSM key read, conditional UpdateItem, SendTaskSuccess, UpdateItem',
      async event(i) {
        const approvalId = `bench${String(Date.now() % 1e9).padStart(9, '0')}${String(i).padStart(8, '0')}`.slice(0, 22);
        const expiresAt = Math.floor(Date.now() / 1000) + 3600;
        await approvals.create({ approvalId, taskToken: 'token', executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Bench:e', stateName: 'Approve', expiresAt, createdAt: Date.now(), summary: '{}', ttl: expiresAt });
        const body = new URLSearchParams({ decision: 'approve', e: String(expiresAt), s: signLink(Buffer.from(linkKey), approvalId, expiresAt) }).toString();
        return { version: '2.0', rawPath: `/approvals/${approvalId}/decision`, rawQueryString: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, isBase64Encoded: false, requestContext: { http: { method: 'POST', path: '' } } };
      },
    },
    {
      handler: 'approval-request',
      callsAws: true,
      env: { APPROVAL_SETTINGS: JSON.stringify({ tableName: 'approvals', topicArn: 'arn:aws:sns:eu-west-1:123456789012:approvals', callbackUrl: 'https://cb.example/', keySecretName: 'link-key', timeoutSeconds: 3600, workflowName: 'Bench' }) },
      note: 'SSM key read, conditional PutItem, SNS Publish, UpdateItem',
      event: (i) => ({ taskToken: 'token', executionArn: `arn:aws:states:eu-west-1:123456789012:execution:Bench:${Date.now()}-${i}`, stateName: 'Approve', enteredTime: new Date().toISOString(), summary: { amount: 1 } }),
    },
    {
      handler: 'authorizer',
      callsAws: false,
      env: { AUTHORIZER_SETTINGS: JSON.stringify({ issuers: [{ issuer: 'https://issuer.bench', audiences: ['api'], jwks: { keys: [jwk] } }], routes: [{ method: 'GET', path: '/orders', scopes: ['orders:read'] }] }) },
      note: 'TOKEN event, RS256 token verified against the configured JWKS',
      event: () => ({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc/prod/GET/orders' }),
    },
    {
      handler: 'circuit-breaker',
      callsAws: true,
      env: { CIRCUIT_BREAKER_SETTINGS: JSON.stringify({ name: 'bench', tableName: 'circuits', target: { type: 'http', url: target.url } }) },
      note: 'API Gateway event forwarded to an HTTP target; state prefetched with GetItem',
      event: () => apiEvent,
    },
    { handler: 'db-query', callsAws: true, env: dbEnv, refusedByMariaDb: true, note: `get: ${refusal}`, event: () => ({ action: 'get', id: 1 }) },
    { handler: 'echo', callsAws: false, env: {}, event: () => ({ hello: 'world' }) },
    { handler: 'fanout-consumer', callsAws: false, env: {}, note: 'one SQS record carrying an SNS order event', event: (i) => ({ Records: [sqsRecord(orderEnvelope(`o-${i}`))] }) },
    {
      handler: 'examples/inventory-consumer',
      callsAws: true,
      env: { INVENTORY_CONSUMER_CONFIG: JSON.stringify({ reservationsTable: 'reservations' }) },
      note: 'one SQS record: conditional PutItem of the reservation',
      event: (i) => ({ Records: [sqsRecord(orderEnvelope(`o-${Date.now()}-${i}`))] }),
    },
    {
      handler: 'examples/rds-integration/connection-storm',
      callsAws: true,
      env: dbEnv,
      refusedByMariaDb: true,
      note: `one storm client through the proxy: ${refusal}`,
      event: () => ({ mode: 'hold', target: 'proxy', seconds: 1 }),
    },
    {
      handler: 'examples/rds-integration/items-api',
      callsAws: true,
      env: dbEnv,
      refusedByMariaDb: true,
      note: `function URL GET /items/1: ${refusal}`,
      event: () => ({ version: '2.0', rawPath: '/items/1', rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { http: { method: 'GET', path: '/items/1' } } }),
    },
    {
      handler: 'examples/rds-integration/migrate',
      callsAws: true,
      env: { ...dbEnv, SCHEMA_MIGRATION_CONFIG: JSON.stringify({ applicationUser: 'app_user', applicationSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app' }) },
      refusedByMariaDb: true,
      note: `custom resource Create: ${refusal}`,
      event: () => ({ RequestType: 'Create', ResourceProperties: {} }),
    },
    {
      handler: 'examples/rds-integration/signed-client',
      callsAws: false,
      env: { SIGNED_CLIENT_CONFIG: JSON.stringify({ url: target.url }) },
      note: 'one SigV4-signed GET to a loopback function URL',
      event: () => ({ requests: [{ method: 'GET', path: '/items' }] }),
    },
    {
      handler: 'examples/api-gateway/orders',
      callsAws: true,
      env: { ORDERS_CONFIG: JSON.stringify({ ordersTable: 'cafe-orders', customerIndex: 'by-customer' }) },
      note: 'GET /v1/orders/{orderId}: one consistent GetItem (the order does not exist: 404)',
      event: (i) => ({
        httpMethod: 'GET',
        resource: '/v1/orders/{orderId}',
        path: `/v1/orders/o-${i}`,
        pathParameters: { orderId: `o-${i}` },
        headers: {},
        body: null,
        isBase64Encoded: false,
        requestContext: { requestId: `r-${i}` },
      }),
    },
    { handler: 'examples/notification-consumer', callsAws: false, env: {}, event: (i) => ({ Records: [sqsRecord(orderEnvelope(`o-${i}`))] }) },
    {
      handler: 'examples/place-order',
      callsAws: true,
      env: { PLACE_ORDER_CONFIG: JSON.stringify({ inventoryBreakerFunction: 'breaker', orderEventsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders' }) },
      note: 'POST /orders: Lambda Invoke of the breaker, SNS Publish',
      event: () => ({ httpMethod: 'POST', path: '/orders', headers: { 'content-type': 'application/json' }, body: '{"userId":"u-1","sku":"sku-1","quantity":1}', isBase64Encoded: false, requestContext: { elb: { targetGroupArn: 'arn' } } }),
    },
    ...iot.cases,
  ];
  const entries = await findHandlerEntries();
  const missing = entries.filter((e) => !allCases.some((c) => c.handler === e) && !MEASURED_BY_LAB_BENCH.some((dir) => e.startsWith(dir)));
  if (missing.length > 0) throw new Error(`bench/init-time has no case for ${missing.join(', ')}: add one`);
  const cases = allCases.filter((c) => c.handler.includes(ONLY));

  // Build the SDK v3 variants of the handlers that call AWS.
  const targets: Array<{ c: Case; variant: Variant; bundle: string }> = [];
  for (const c of cases) {
    targets.push({ c, variant: 'shipped', bundle: path.join(ASSETS, c.handler, 'index.js') });
    if (BASELINE) targets.push({ c, variant: 'baseline', bundle: path.join(BASELINE, c.handler, 'index.js') });
    if (!c.callsAws) continue;
    for (const variant of ['sdk-external', 'sdk-bundled'] as const) {
      const outdir = path.join(WORK, variant, c.handler);
      await bundleHandler(c.handler, { outdir, variant: variantOptions(variant) });
      targets.push({ c, variant, bundle: path.join(outdir, 'index.js') });
    }
  }

  // Bare dependencies, bundled like the handlers (AWS SDK external unless said otherwise).
  const bare = ONLY ? [] : await bareDependencies();

  // Interleave: run i of every target, then run i+1, so machine noise hits all alike.
  const samples = new Map<string, Sample[]>();
  for (let i = 0; i < RUNS; i++) {
    for (const t of targets) {
      const key = `${t.c.handler}|${t.variant}`;
      const sample = await coldStart(t.bundle, { ...lambdaEnv, ...t.c.env }, await t.c.event(i));
      // An answer other than the expected one (a 404, a batch item failure) is a failed first invocation too.
      const wrong = sample.ok && t.c.check ? t.c.check(sample.result) : undefined;
      samples.set(key, [...(samples.get(key) ?? []), wrong ? { ...sample, ok: false, error: `unexpected answer: ${wrong}` } : sample]);
    }
    for (const b of bare) {
      const sample = await coldStart(b.bundle, lambdaEnv, {});
      samples.set(`bare|${b.name}`, [...(samples.get(`bare|${b.name}`) ?? []), sample]);
    }
  }

  console.log(`Cold start of the handler bundles: ${RUNS} fresh node ${process.version} processes each, ms (init = require of the bundle, first = first invocation`);
  console.log(`against local engines; wall time median/p90, CPU time median). Load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs.`);
  console.table(cases.map((c) => {
    const f = figures(samples.get(`${c.handler}|shipped`)!);
    return { handler: c.handler, ...f, KB: kb(path.join(ASSETS, c.handler, 'index.js')), initGoal: goalMs(c.handler), meetsGoal: f.initMedian <= goalMs(c.handler) };
  }));
  console.log('Handlers that call AWS, three clients side by side (same handler code; only lambda-src/shared/aws/<service> differs):');
  const clientName = { 'shipped': 'aws-lite (shipped)', 'sdk-external': 'SDK v3 external', 'sdk-bundled': 'SDK v3 bundled', 'baseline': `baseline (${BASELINE})` };
  console.table(targets.filter((t) => t.c.callsAws).map((t) => ({ handler: t.c.handler, client: clientName[t.variant], ...figures(samples.get(`${t.c.handler}|${t.variant}`)!), KB: kb(t.bundle) })));
  if (BASELINE) {
    console.log('Handlers that call no AWS, against the baseline:');
    console.table(targets.filter((t) => !t.c.callsAws).map((t) => ({ handler: t.c.handler, bundle: t.variant, ...figures(samples.get(`${t.c.handler}|${t.variant}`)!), KB: kb(t.bundle) })));
  }
  console.log('What the cold start loads, independent of the machine\'s load: V8 compile of the bundle (CPU ms, least of 5 processes) and the Node modules loaded by INIT and by the first invocation (count, notable ones named):');
  console.table(targets.filter((t) => t.variant === 'shipped' || t.variant === 'baseline').map((t) => {
    const s = samples.get(`${t.c.handler}|${t.variant}`)!;
    return { handler: t.c.handler, bundle: t.variant, KB: kb(t.bundle), compileCpu: compileCpuMs(t.bundle), initBuiltins: builtinsLoaded(s, 'init'), firstBuiltins: builtinsLoaded(s, 'first') };
  }));
  console.log('Bare dependencies alone (a bundle that loads only them and creates the client), ms:');
  console.table(bare.map((b) => {
    const f = figures(samples.get(`bare|${b.name}`)!);
    return { dependency: b.name, initMedian: f.initMedian, initP90: f.initP90, initCpu: f.initCpu, KB: kb(b.bundle) };
  }));
  const refused = new Set(cases.filter((c) => c.refusedByMariaDb).map((c) => c.handler));
  const failures = [...samples.entries()].filter(([key, s]) => !refused.has(key.split('|')[0]) && s.some((x) => !x.ok));
  for (const [key, s] of failures) console.log(`FAILED first invocations of ${key}: ${s.find((x) => !x.ok)!.error}`);
  for (const handler of refused) {
    const endings = new Set([...samples.entries()].filter(([k]) => k.split('|')[0] === handler).flatMap(([, s]) => s.map((x) => x.error ?? 'ok')));
    console.log(`${handler} first invocations ended with: ${[...endings].join(' | ')}`);
  }
  for (const c of cases.filter((x) => x.note)) console.log(`  ${c.handler}: ${c.note}`);

  await db.drop();
  await Promise.all([aws.stop(), target.stop(), iot.stop()]);
  await dynamo.stop();

  async function bareDependencies(): Promise<Array<{ name: string; bundle: string }>> {
    const { build } = await import('esbuild');
    const sdk = (name: string, pkg: string, make: string, bundled: boolean) => ({
      name: `${name} (AWS SDK v3 ${bundled ? 'bundled' : 'external'})`,
      source: `import { ${make} } from '${pkg}';\nconst client = new ${make}({});\nexport const handler = async () => client;`,
      bundled,
    });
    const lite = (name: string, file: string, factory: string) => ({
      name: `${name} (aws-lite, shipped)`,
      source: `import { ${factory} } from '${path.join(ROOT, 'lambda-src', 'shared', 'aws', file)}';\nconst client = ${factory}();\nexport const handler = async () => client;`,
      bundled: false,
    });
    const sources = [
      { name: 'nothing (empty bundle)', source: 'export const handler = async () => undefined;', bundled: false },
      { name: 'Powertools Logger + Metrics', source: "import { Logger } from '@aws-lambda-powertools/logger';\nimport { Metrics } from '@aws-lambda-powertools/metrics';\nconst l = new Logger(); const m = new Metrics({ namespace: 'b' });\nexport const handler = async () => [l, m];", bundled: false },
      { name: 'aws-jwt-verify', source: "import { JwtVerifier } from 'aws-jwt-verify';\nexport const handler = async () => JwtVerifier;", bundled: false },
      { name: 'mysql2 + @aws-sdk/rds-signer (AWS SDK v3 external)', source: "import { createConnection } from 'mysql2';\nimport { Signer } from '@aws-sdk/rds-signer';\nconst s = new Signer({ hostname: 'h', port: 3306, username: 'u' });\nexport const handler = async () => [createConnection, s];", bundled: false },
      { name: 'mysql2 + rdsTokenSigner (aws4, aws-lite, shipped)', source: `import { createConnection } from 'mysql2';\nimport { rdsTokenSigner } from '${path.join(ROOT, 'lambda-src', 'shared', 'aws', 'rds-token')}';\nconst s = rdsTokenSigner({ hostname: 'h', port: 3306, username: 'u' });\nexport const handler = async () => [createConnection, s];`, bundled: false },
      { name: '@aws-lite/client alone', source: "import awsLite from '@aws-lite/client';\nexport const handler = async () => awsLite;", bundled: false },
      ...([['DynamoDB', '@aws-sdk/client-dynamodb', 'DynamoDBClient', 'dynamodb', 'dynamoDb'], ['Lambda', '@aws-sdk/client-lambda', 'LambdaClient', 'lambda', 'lambda'],
        ['SNS', '@aws-sdk/client-sns', 'SNSClient', 'sns', 'sns'], ['SSM', '@aws-sdk/client-ssm', 'SSMClient', 'ssm', 'ssm'],
        ['Step Functions', '@aws-sdk/client-sfn', 'SFNClient', 'step-functions', 'stepFunctions']] as const)
        .flatMap(([name, pkg, make, file, factory]) => [sdk(name, pkg, make, false), sdk(name, pkg, make, true), lite(name, file, factory)]),
    ];
    const out = [];
    for (const [i, s] of sources.entries()) {
      const dir = path.join(WORK, 'bare', String(i));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'entry.ts'), s.source);
      await build({
        entryPoints: [path.join(dir, 'entry.ts')],
        outfile: path.join(dir, 'index.js'),
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        minify: true,
        external: s.bundled ? [] : ['@aws-sdk/*'],
        mainFields: s.bundled ? ['module', 'main'] : undefined,
        nodePaths: [path.join(ROOT, 'node_modules')],
        logLevel: 'error',
      });
      out.push({ name: s.name, bundle: path.join(dir, 'index.js') });
    }
    return out;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
