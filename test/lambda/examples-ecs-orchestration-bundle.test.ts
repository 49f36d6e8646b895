import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLoopbackServer } from '../helpers/http-server';
import { SqsStub, startSqsStub } from '../helpers/sqs-stub';

// The shipped container program (assets/examples/ecs-orchestration/services/index.js, the
// image's entry point) run as a real process: the web role against a loopback api, the
// worker role against a loopback SQS-compatible endpoint. Its stdout is what the awslogs
// driver would ship, so the EMF lines parsed here are the metrics CloudWatch would extract.
const BUILD_CONTEXT = path.join(__dirname, '..', '..', 'assets', 'examples', 'ecs-orchestration', 'services');
// The image's /app: the build context copied where no node_modules is in reach, so the
// program runs with only what it bundles (its SQS client included), as in the container.
const IMAGE_APP = mkdtempSync(path.join(os.tmpdir(), 'ecs-orchestration-app-'));
cpSync(BUILD_CONTEXT, IMAGE_APP, { recursive: true });
const BUNDLE = path.join(IMAGE_APP, 'index.js');
afterAll(() => rmSync(IMAGE_APP, { recursive: true, force: true }));

interface Program {
  readonly child: ChildProcess;
  readonly port: number;
  readonly lines: () => Array<Record<string, any>>;
  readonly exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  return port;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function start(role: string, env: Record<string, string>): Promise<Program> {
  const port = await freePort();
  const child = spawn(process.execPath, [BUNDLE, role], {
    env: { PATH: process.env.PATH, PORT: String(port), SERVICE_NAME: role, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  await until(() => lines().some((l) => l.message === 'listening') || child.exitCode !== null, `${role} to listen`);
  return { child, port, lines, exited };
}

async function get(program: Program, urlPath: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${program.port}${urlPath}`);
  return { status: response.status, body: await response.json() };
}

async function stop(program: Program): Promise<number | null> {
  program.child.kill('SIGTERM');
  return program.exited;
}

const emfDocuments = (program: Program) => program.lines().filter((l) => l._aws);

describe('ecs-orchestration container bundle: web and api roles', () => {
  let api: Program | undefined;
  let web: Program | undefined;
  afterEach(() => {
    for (const p of [web, api]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  test('the web page carries the api catalog, and at shutdown the minute\'s requests go out as EMF', async () => {
    api = await start('api', { APP_VERSION: 'v7' });
    web = await start('web', { API_URL: `http://127.0.0.1:${api.port}` });
    expect((await get(web, '/health')).status).toBe(200);
    const page = await get(web, '/');
    expect(page.status).toBe(200);
    expect(page.body).toEqual(expect.objectContaining({ service: 'web', degraded: false, catalog: expect.objectContaining({ service: 'api', version: 'v7' }) }));
    await get(web, '/');
    expect((await get(web, '/nothing-here')).status).toBe(404);

    expect(await stop(web)).toBe(0);
    const docs = emfDocuments(web);
    const requests = docs.reduce((sum, d) => sum + d.Requests, 0);
    expect(requests).toBe(3); // the health check is not counted
    for (const doc of docs) {
      expect(doc._aws.CloudWatchMetrics).toEqual([{
        Namespace: 'EcsOrchestrationLab', Dimensions: [['ServiceName']], Metrics: [{ Name: 'Requests', Unit: 'Count' }, { Name: 'ApiErrors', Unit: 'Count' }],
      }]);
      expect(doc.ServiceName).toBe('web');
      expect(doc._aws.Timestamp % 60_000).toBe(0);
      expect(doc.ApiErrors).toBe(0);
    }
    expect(await stop(api)).toBe(0);
    expect(emfDocuments(api)).toEqual([]);
  });

  test('a failing api degrades the page and is counted as ApiErrors; a web FAILURE_PERCENT of 100 answers 500', async () => {
    const failingApi = await startLoopbackServer(() => ({ status: 503, body: 'no healthy upstream' }));
    try {
      web = await start('web', { API_URL: failingApi.url });
      const page = await get(web, '/');
      expect(page.body).toEqual(expect.objectContaining({ catalog: null, degraded: true }));
      expect(await stop(web)).toBe(0);
      expect(emfDocuments(web).reduce((sum, d) => sum + d.ApiErrors, 0)).toBe(1);

      web = await start('web', { API_URL: failingApi.url, FAILURE_PERCENT: '100' });
      expect((await get(web, '/')).status).toBe(500);
      expect((await get(web, '/health')).status).toBe(200);
    } finally {
      await failingApi.stop();
    }
  });

  test('a bad environment stops the program with every problem named', async () => {
    const program = await start('web', { PORT: 'eighty', SERVICE_NAME: 'Web' });
    expect(await program.exited).toBe(1);
    expect(program.lines()).toContainEqual(expect.objectContaining({
      level: 'error',
      message: expect.stringMatching(/PORT must be an integer between 1 and 65535, got "eighty"; SERVICE_NAME must be a DNS label, got "Web"; API_URL is required/),
    }));
  });
});

describe('ecs-orchestration container bundle: worker role against a local SQS endpoint', () => {
  let sqs: SqsStub;
  let worker: Program | undefined;
  beforeEach(async () => {
    sqs = await startSqsStub();
  });
  afterEach(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await sqs.stop();
  });

  const workerEnv = () => ({
    QUEUE_URL: sqs.queueUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
  });

  test('drains the queue, leaves poison for the DLQ, serves its counters and reports them as EMF', async () => {
    sqs.send('{"jobId":"job-1","workMs":20}', '{"jobId":"job-2","workMs":0}', 'not json', '{"jobId":"job-3","workMs":999999}', '{"jobId":"job-4"}');
    worker = await start('worker', workerEnv());
    await until(() => sqs.deleted.length === 3, 'three jobs to be deleted', 15_000);
    expect(sqs.deleted.map((b) => JSON.parse(b).jobId).sort()).toEqual(['job-1', 'job-2', 'job-4']);
    // The two poison messages stay in the queue (in flight until their visibility times out).
    expect(sqs.messages.map((m) => [m.body, m.receiveCount])).toEqual([['not json', 1], ['{"jobId":"job-3","workMs":999999}', 1]]);

    const stats = await get(worker, '/stats');
    expect(stats.body).toEqual(expect.objectContaining({ service: 'worker', processed: 3, poison: 2, receiveErrors: 0 }));
    expect(sqs.calls.find((c) => c.action === 'ReceiveMessage')!.input).toEqual(expect.objectContaining({
      QueueUrl: sqs.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20,
    }));

    expect(await stop(worker)).toBe(0);
    expect(worker.lines().filter((l) => l.message === 'job done').map((l) => l.jobId).sort()).toEqual(['job-1', 'job-2', 'job-4']);
    const docs = emfDocuments(worker);
    expect(docs.reduce((sum, d) => sum + d.JobsProcessed, 0)).toBe(3);
    expect(docs.reduce((sum, d) => sum + d.JobFailures, 0)).toBe(2);
  });

  test('SIGTERM (a Spot interruption) ends the long poll, finishes the job in hand and releases the rest', async () => {
    sqs.send('{"jobId":"slow-1","workMs":1500}', '{"jobId":"slow-2","workMs":1500}', '{"jobId":"slow-3","workMs":1500}');
    worker = await start('worker', workerEnv());
    await until(() => sqs.calls.some((c) => c.action === 'ReceiveMessage') && sqs.messages.every((m) => m.receiveCount === 1), 'the batch to be received');
    const started = Date.now();
    expect(await stop(worker)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sqs.deleted.map((b) => JSON.parse(b).jobId)).toEqual(['slow-1']);
    const release = sqs.calls.find((c) => c.action === 'ChangeMessageVisibilityBatch');
    expect(release!.input.Entries.map((e: { VisibilityTimeout: number }) => e.VisibilityTimeout)).toEqual([0, 0]);
    expect(sqs.messages.every((m) => m.invisibleUntil <= Date.now())).toBe(true);
  });

  test('an idle worker stops promptly on SIGTERM instead of finishing its 20-second long poll', async () => {
    worker = await start('worker', workerEnv());
    await until(() => sqs.calls.some((c) => c.action === 'ReceiveMessage'), 'the first poll');
    const started = Date.now();
    expect(await stop(worker)).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(worker.lines()).toContainEqual(expect.objectContaining({ message: 'worker stopped', processed: 0 }));
  });
});
