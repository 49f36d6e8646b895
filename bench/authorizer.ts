import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { ThroughputInput, ThroughputResult } from './support/authorizer-throughput';
import { bundleReport } from './support/bundle-report';
import { percentile, summarize } from './support/stats';

// Authorizer benchmark: decisions/s on a token-cache miss (full RS256 verification, route
// match, cross-route policy, context) and on a hit, against bare aws-jwt-verify verify() on
// the same tokens in the same process; network calls while warm; the bundled handler with its
// log line and EMF document; cold init of the bundle; bundle size. Loopback/in-process only,
// bounded loops, prints figures and never asserts.
//
// The throughput runs in a fresh process from an esbuild bundle of the authorizer modules
// (bench/support/authorizer-throughput.ts), as the shipped handler runs. The build box is
// shared (the load average is printed): rates are per CPU-second of that process, which is
// what the code costs; the wall-clock ratios, which also count time other processes held the
// CPU, are printed beside them.
const ISSUER = 'https://issuer.bench';
const N_TOKENS = 4000;
const ROUNDS = 7;
/** Tokens per timed block: bare and authorizer alternate block by block within a round. */
const BLOCK = 200;
/** Fresh processes for the cold-init figures. */
const COLD_STARTS = 21;

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench-1', alg: 'RS256', use: 'sig' } as Record<string, string>;
const jwks = { keys: [jwk] };
const now = Math.floor(Date.now() / 1000);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const tokens = Array.from({ length: N_TOKENS }, (_, i) => {
  const head = `${b64({ alg: 'RS256', kid: 'bench-1', typ: 'JWT' })}.${b64({
    'iss': ISSUER, 'aud': 'api', 'sub': `user-${i}`, 'scope': 'orders:read', 'custom:tenant_id': 't-1', 'iat': now, 'exp': now + 3600,
  })}`;
  return `${head}.${cryptoSign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
});
const routes = [
  { method: 'GET', path: '/orders', scopes: ['orders:read'] },
  { method: 'POST', path: '/orders', scopes: ['orders:write'] },
  { method: 'GET', path: '/orders/{id}', scopes: ['orders:read'] },
  { method: 'GET', path: '/orders/{id}/items', scopes: ['items:read'] },
  { method: 'GET', path: '/health', scopes: [] },
];
const settingsJson = { issuers: [{ issuer: ISSUER, audiences: ['api'], jwks }], routes, tokenCacheMaxEntries: 10_000 };
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/42';

/** Bundle the throughput harness like the shipped handler and run it in a fresh process. */
async function measureThroughput(workDir: string): Promise<ThroughputResult> {
  const harness = path.join(workDir, 'authorizer-throughput.js');
  await build({
    entryPoints: [path.join(__dirname, 'support', 'authorizer-throughput.ts')],
    outfile: harness,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
  });
  const inputFile = path.join(workDir, 'input.json');
  const input: ThroughputInput = { tokens, jwks, issuer: ISSUER, settings: settingsJson, methodArn, rounds: ROUNDS, block: BLOCK };
  writeFileSync(inputFile, JSON.stringify(input));
  const run = spawnSync(process.execPath, [harness, inputFile], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`throughput harness failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'authorizer-bench-'));
  const bundle = path.join(__dirname, '..', 'assets', 'authorizer', 'index.js');
  const env = { ...process.env, AUTHORIZER_SETTINGS: JSON.stringify(settingsJson), POWERTOOLS_METRICS_NAMESPACE: 'Bench' };
  try {
    const throughput = await measureThroughput(workDir);

    // the full bundled handler in a child process (logs and EMF to /dev/null): miss, then hit
    const tokenFile = path.join(workDir, 'tokens.json');
    writeFileSync(tokenFile, JSON.stringify(tokens));
    const handlerRun = JSON.parse(spawnSync(process.execPath, ['-e', `
      const tokens = JSON.parse(require('fs').readFileSync(${JSON.stringify(tokenFile)}, 'utf8'));
      const { handler } = require(${JSON.stringify(bundle)});
      (async () => {
        const evs = tokens.map((t) => ({ type: 'TOKEN', authorizationToken: 'Bearer ' + t, methodArn: ${JSON.stringify(methodArn)} }));
        await handler(evs[0]);
        const cpuSeconds = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1e6; };
        let s = process.cpuUsage();
        for (let i = 1; i < evs.length; i++) await handler(evs[i]);
        const miss = (evs.length - 1) / cpuSeconds(s);
        s = process.cpuUsage();
        for (let i = 1; i < evs.length; i++) await handler(evs[i]);
        const hit = (evs.length - 1) / cpuSeconds(s);
        process.stderr.write(JSON.stringify({ miss, hit }));
      })();`], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 }).stderr.toString().trim().split('\n').pop()!);

    // cold init: fresh processes, module load until the handler is callable and until the end
    // of its first decision (JWKS preloaded, no network), next to bare aws-jwt-verify's load
    const coldStarts: Array<{ loaded: number; decided: number }> = Array.from({ length: COLD_STARTS }, () => {
      const cold = spawnSync(process.execPath, ['-e', `
        const t0 = performance.now();
        const { handler } = require(${JSON.stringify(bundle)});
        const loaded = performance.now() - t0;
        handler({ type: 'TOKEN', authorizationToken: 'Bearer ' + ${JSON.stringify(tokens[0])}, methodArn: ${JSON.stringify(methodArn)} })
          .then(() => process.stderr.write(JSON.stringify({ loaded, decided: performance.now() - t0 })));`], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
      return JSON.parse(cold.stderr.toString().trim().split('\n').pop()!);
    });
    const bareLoads = Array.from({ length: COLD_STARTS }, () => Number(execFileSync(process.execPath, ['-e',
      'const t=performance.now();require(\'aws-jwt-verify\');process.stdout.write(String(performance.now()-t))'], { env }).toString()));

    const { cpu, wall } = throughput;
    const best = (xs: number[]) => Math.max(...xs);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const bareBest = best(cpu.bare);
    console.log(`authorizer benchmark (Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, ` +
      `${N_TOKENS} distinct RS256-2048 tokens, best of ${ROUNDS} interleaved rounds, decisions per CPU-second)`);
    console.table([
      { 'path': 'bare aws-jwt-verify verify() (JWKS preloaded)', 'decisions/s': fmt(bareBest) },
      { 'path': 'bare aws-jwt-verify verifySync() (reference)', 'decisions/s': fmt(best(cpu.bareSync)) },
      { 'path': 'authorizer decision, token-cache miss', 'decisions/s': fmt(best(cpu.miss)), 'vs bare': pct(best(cpu.miss) / bareBest) },
      { 'path': 'authorizer decision, token-cache hit', 'decisions/s': fmt(best(cpu.hit)), 'vs bare': `${(best(cpu.hit) / bareBest).toFixed(1)}x` },
      { 'path': 'bundled handler (logs + EMF to /dev/null), miss', 'decisions/s': fmt(handlerRun.miss), 'vs bare': pct(handlerRun.miss / bareBest) },
      { 'path': 'bundled handler (logs + EMF to /dev/null), hit', 'decisions/s': fmt(handlerRun.hit) },
    ]);
    for (const [clock, rates] of [['CPU time', cpu], ['wall clock', wall]] as const) {
      const ratios = rates.miss.map((m, i) => m / rates.bare[i]);
      console.log(`token-cache miss vs bare verify(), per-round ratios by ${clock}: ${ratios.map(pct).join(' ')} (median ${pct(summarize(ratios).median)})`);
    }
    console.log(`network calls while warm (JWKS preloaded): ${throughput.networkCalls}`);
    const loaded = medianAndP90(coldStarts.map((c) => c.loaded));
    const decided = medianAndP90(coldStarts.map((c) => c.decided));
    const bareLoad = medianAndP90(bareLoads);
    console.log(`cold init (${COLD_STARTS} fresh processes, median / p90): bundle loaded ${ms(loaded.median)} / ${ms(loaded.p90)}, ` +
      `first decision done ${ms(decided.median)} / ${ms(decided.p90)}; bare aws-jwt-verify loaded ${ms(bareLoad.median)} / ${ms(bareLoad.p90)}`);
    const code = readFileSync(bundle);
    const report = await bundleReport('authorizer');
    console.log(`bundle assets/authorizer/index.js: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzip` +
      ` (${(statSync(bundle).size / 1024).toFixed(1)} KB on disk), own code ${report.ownCodeKB} KB`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function medianAndP90(samples: number[]): { median: number; p90: number } {
  return { median: summarize(samples).median, p90: percentile([...samples].sort((a, b) => a - b), 90) };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
