import { performance } from 'node:perf_hooks';
import { bundleReport } from './support/bundle-report';
import { summarize } from './support/stats';
import { CallbackDeps, handleCallback } from '../lambda-src/approval-callback/callback';
import { renderReviewPage } from '../lambda-src/approval-callback/page';
import { signLink, verifyLink } from '../lambda-src/approval-shared/links';
import { ApprovalStore } from '../lambda-src/approval-shared/store';
import type { DynamoDb } from '../lambda-src/shared/aws/dynamodb';
import { formBody, KEY, seedApproval, startApprovalEngines, staticKeys, TABLE, urlEvent } from '../test/lambda/approval-harness';

// Approval callback figures (loopback only, bounded, prints and never asserts):
//  - review page (GET) and decision (POST) latency against dynalite + a loopback Step
//    Functions endpoint: p50/p99 over N requests after warm-up (AWS calls included, on
//    loopback, so this is serialization + handler cost, not in-region latency);
//  - handler overhead without I/O: HMAC verify + page render;
//  - DynamoDB / Step Functions calls per request (counted at the engines);
//  - bundle sizes of both handlers (minified, AWS SDK external) and our own code share.
const GETS = 1000;
const POSTS = 300;
const WARMUP = 100;

function percentiles(samples: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const { p50, p99, max } = summarize(samples);
  return { p50Ms: +p50.toFixed(3), p99Ms: +p99.toFixed(3), maxMs: +max.toFixed(3) };
}


async function main(): Promise<void> {
  const engines = await startApprovalEngines();
  let ddbRequests = 0;
  const ddb = engines.ddb();
  const counted: DynamoDb = {
    getItem: (input, options) => (ddbRequests++, ddb.getItem(input, options)),
    putItem: (input, options) => (ddbRequests++, ddb.putItem(input, options)),
    updateItem: (input, options) => (ddbRequests++, ddb.updateItem(input, options)),
    deleteItem: (input, options) => (ddbRequests++, ddb.deleteItem(input, options)),
    batchWriteItem: (input, options) => (ddbRequests++, ddb.batchWriteItem(input, options)),
    transactWriteItems: (input, options) => (ddbRequests++, ddb.transactWriteItems(input, options)),
    batchGetItem: (input, options) => (ddbRequests++, ddb.batchGetItem(input, options)),
    scan: (input, options) => (ddbRequests++, ddb.scan(input, options)),
    query: (input, options) => (ddbRequests++, ddb.query(input, options)),
  };
  const store = new ApprovalStore(counted, TABLE);
  const deps: CallbackDeps = {
    settings: { tableName: 'approvals', keySecretName: 'k', workflowName: 'Bench', callbackLeaseMs: 30_000 },
    store,
    sfn: engines.sfn(),
    keys: staticKeys(),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: Date.now,
    count: () => undefined,
  };

  const page = await seedApproval(store, 'benchpage0000000000000');
  const getEvent = urlEvent('GET', `/approvals/${page.approvalId}`, { query: `e=${page.e}&s=${page.s}` });
  for (let i = 0; i < WARMUP; i++) await handleCallback(getEvent, deps);
  const before = ddbRequests;
  const gets: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const t = performance.now();
    await handleCallback(getEvent, deps);
    gets.push(performance.now() - t);
  }
  const ddbPerGet = (ddbRequests - before) / GETS;

  const links = [];
  for (let i = 0; i < POSTS + 20; i++) links.push(await seedApproval(store, `benchpost${String(i).padStart(13, '0')}`));
  for (const link of links.slice(0, 20)) {
    await handleCallback(urlEvent('POST', `/approvals/${link.approvalId}/decision`, { body: formBody({ decision: 'approve', e: link.e, s: link.s }), contentType: 'application/x-www-form-urlencoded' }), deps);
  }
  const sfnBefore = engines.sendTaskCalls().length;
  const ddbBefore = ddbRequests;
  const posts: number[] = [];
  for (const link of links.slice(20)) {
    const event = urlEvent('POST', `/approvals/${link.approvalId}/decision`, { body: formBody({ decision: 'approve', e: link.e, s: link.s }), contentType: 'application/x-www-form-urlencoded' });
    const t = performance.now();
    await handleCallback(event, deps);
    posts.push(performance.now() - t);
  }
  const sfnPerPost = (engines.sendTaskCalls().length - sfnBefore) / POSTS;
  const ddbPerPost = (ddbRequests - ddbBefore) / POSTS;

  const overhead: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t = performance.now();
    verifyLink(KEY, page.approvalId, page.e, page.s);
    renderReviewPage({ workflowName: 'Bench', approvalId: page.approvalId, status: 'PENDING', summary: '{\n  "amount": 500\n}', expiresAt: page.e, signature: page.s });
    overhead.push(performance.now() - t);
  }
  const link = `https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-central-1.on.aws/approvals/${page.approvalId}?e=${page.e}&s=${signLink(KEY, page.approvalId, page.e)}`;

  console.log(`Approval callback on loopback (dynalite + recording Step Functions endpoint), Node ${process.version}`);
  console.table([
    { request: `GET review page (n=${GETS})`, ...percentiles(gets), ddbCallsPerRequest: ddbPerGet, sendTaskPerRequest: 0 },
    { request: `POST approve (n=${POSTS})`, ...percentiles(posts), ddbCallsPerRequest: ddbPerPost, sendTaskPerRequest: sfnPerPost },
    { request: 'handler overhead: HMAC verify + render (n=5000)', ...percentiles(overhead), ddbCallsPerRequest: 0, sendTaskPerRequest: 0 },
  ]);
  console.log(`Review link length (eu-central-1 function URL): ${link.length} characters`);
  console.log('Bundles (minified, AWS SDK external):');
  console.table(await Promise.all(['approval-request', 'approval-callback'].map(async (h) => {
    const { handler, minifiedKB, gzipKB, ownCodeKB } = await bundleReport(h);
    return { handler, minifiedKB, gzipKB, ownCodeKB };
  })));
  await engines.stop();
}

void main();
