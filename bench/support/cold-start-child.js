// One cold start, run by bench/init-time.ts in a fresh `node` process:
//   node cold-start-child.js <bundle.js> <case.json> <result.json>
// Loads the bundle (INIT), then invokes its handler once with the case's event, and writes
// {initMs, firstMs, initCpuMs, firstCpuMs, bootMs, modules, ok, error, result} to <result.json>. Plain JavaScript on purpose: the
// child loads nothing but Node and the bundle.
'use strict';
const bootMs = performance.now();
const { readFileSync, writeFileSync } = require('node:fs');
const [bundle, caseFile, resultFile] = process.argv.slice(2);
const { event } = JSON.parse(readFileSync(caseFile, 'utf8'));
const context = {
  awsRequestId: 'bench-request', functionName: 'bench', functionVersion: '$LATEST', memoryLimitInMB: '1024',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench', logGroupName: '/aws/lambda/bench', logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30_000, callbackWaitsForEmptyEventLoop: true,
};
// Wall time is what a caller waits for; CPU time is what the code costs, and stays
// meaningful when other processes compete for the machine.
const cpuMs = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
// Node's own modules each phase loads: what it costs, independent of the machine's load.
const builtins = (since) => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !since.has(m)).map((m) => m.slice(13));
const loadedAtBoot = new Set(process.moduleLoadList);
const c0 = process.cpuUsage();
const t0 = performance.now();
const { handler } = require(bundle);
const t1 = performance.now();
const initCpuMs = cpuMs(c0);
const initModules = builtins(loadedAtBoot);
const loadedAtInit = new Set(process.moduleLoadList);
const c1 = process.cpuUsage();
const done = (ok, error, result) => {
  const t2 = performance.now();
  const modules = { init: initModules, first: builtins(loadedAtInit) };
  const sample = { bootMs, initMs: t1 - t0, firstMs: t2 - t1, initCpuMs, firstCpuMs: cpuMs(c1), modules, ok, error };
  let text;
  try {
    text = JSON.stringify({ ...sample, result });
  } catch {
    // An answer that is no JSON (the bare dependencies' bundles return their client): left out.
    text = JSON.stringify(sample);
  }
  writeFileSync(resultFile, text);
  process.exit(0); // keep-alive sockets of the clients would hold the process open
};
Promise.resolve()
  .then(() => handler(event, context))
  .then((result) => done(true, undefined, result), (e) => done(false, `${e && e.name}: ${e && e.message}`.slice(0, 300)));
