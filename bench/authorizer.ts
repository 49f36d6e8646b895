import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { JwtVerifier } from 'aws-jwt-verify';
import { Authorizer } from '../lambda-src/authorizer/authorizer';
import { answerRest } from '../lambda-src/authorizer/events';
import { ThrottledJwksCache } from '../lambda-src/authorizer/jwks-cache';
import { JsonConfig } from '../lambda-src/shared';
import { parseAuthorizerSettings } from '../src/api/authorizer-settings';

// Authorizer benchmark: warm decisions/s on a token-cache miss (full RS256 verification)
// and hit, against bare aws-jwt-verify verify() on the same tokens in the same run; network
// calls while warm; cold init of the bundle; bundle size. Loopback/in-process only, bounded
// loops, prints figures and never asserts.
const ISSUER = 'https://issuer.bench';
const N_TOKENS = 4000;
const ROUNDS = 5;

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
// API Gateway hands the handler a ready event: build them outside the timed loops.
const events = tokens.map((t) => ({ type: 'TOKEN' as const, authorizationToken: `Bearer ${t}`, methodArn }));

let networkCalls = 0;
function makeAuthorizer(): Authorizer {
  const s = parseAuthorizerSettings(new JsonConfig('AUTHORIZER_SETTINGS', settingsJson));
  const jwksCache = new ThrottledJwksCache({
    minRefetchIntervalMs: 10_000,
    fetchTimeoutMs: 2000,
    fetcher: { fetch: async () => { networkCalls++; throw new Error('bench: no network'); } },
  });
  return new Authorizer(s, { jwksCache });
}

async function main(): Promise<void> {
  // bare aws-jwt-verify: one verifier, JWKS preloaded, verify() every token
  const bare = JwtVerifier.create({ issuer: ISSUER, audience: 'api', jwksUri: `${ISSUER}/.well-known/jwks.json` });
  bare.cacheJwks(jwks as never);
  for (let i = 0; i < 500; i++) await bare.verify(tokens[i]);

  // Alternate bare and authorizer rounds so both see the same (shared, noisy) machine state.
  // Each authorizer round uses a fresh authorizer, so every token is a token-cache miss.
  const missRates: number[] = [];
  const bareRates: number[] = [];
  const bareSyncRates: number[] = [];
  const timeRound = async (fn: (i: number) => Promise<unknown> | unknown): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N_TOKENS; i++) await fn(i);
    return N_TOKENS / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  for (let r = 0; r < ROUNDS; r++) {
    bareRates.push(await timeRound((i) => bare.verify(tokens[i])));
    const fresh = makeAuthorizer();
    await answerRest(fresh, { type: 'TOKEN', authorizationToken: `Bearer ${tokens[0]}`, methodArn });
    fresh.tokens.clear();
    missRates.push(await timeRound(async (i) => {
      const out = await answerRest(fresh, events[i]);
      if (out.record.decision !== 'allow') throw new Error(`bench token ${i} was not allowed: ${out.record.reason}`);
    }));
    bareSyncRates.push(await timeRound((i) => bare.verifySync(tokens[i])));
  }
  const warm = makeAuthorizer();
  for (let i = 0; i < N_TOKENS; i++) await answerRest(warm, events[i]);
  let hitRate = 0;
  for (let r = 0; r < ROUNDS; r++) {
    hitRate = Math.max(hitRate, await timeRound((i) => answerRest(warm, events[i])));
  }

  // full bundled handler in a child process (logs and EMF to /dev/null): miss and hit
  const bundle = path.join(__dirname, '..', 'assets', 'authorizer', 'index.js');
  const tokenFile = path.join(os.tmpdir(), `authorizer-bench-tokens-${process.pid}.json`);
  writeFileSync(tokenFile, JSON.stringify(tokens));
  const child = `
    const tokens = JSON.parse(require('fs').readFileSync(${JSON.stringify(tokenFile)}, 'utf8'));
    const t0 = performance.now();
    const { handler } = require(${JSON.stringify(bundle)});
    const init = performance.now() - t0;
    (async () => {
      const evs = tokens.map((t) => ({ type: 'TOKEN', authorizationToken: 'Bearer ' + t, methodArn: ${JSON.stringify(methodArn)} }));
      await handler(evs[0]);
      let s = performance.now();
      for (let i = 1; i < evs.length; i++) await handler(evs[i]);
      const miss = (evs.length - 1) / ((performance.now() - s) / 1000);
      s = performance.now();
      for (let i = 1; i < evs.length; i++) await handler(evs[i]);
      const hit = (tokens.length - 1) / ((performance.now() - s) / 1000);
      process.stderr.write(JSON.stringify({ init, miss, hit }));
    })();`;
  const env = { ...process.env, AUTHORIZER_SETTINGS: JSON.stringify(settingsJson), POWERTOOLS_METRICS_NAMESPACE: 'Bench' };
  const run = spawnSync(process.execPath, ['-e', child], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  rmSync(tokenFile, { force: true });
  const handlerRun = JSON.parse(run.stderr.toString().trim().split('\n').pop()!);

  // cold init: import time of the bundle vs bare aws-jwt-verify, median of 7 fresh processes
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const importMs = (code: string) => median(Array.from({ length: 7 }, () => Number(execFileSync(process.execPath, ['-e', code], { env }).toString())));
  const initBundle = importMs(`const t=performance.now();require(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t))`);
  const initBare = importMs('const t=performance.now();require(\'aws-jwt-verify\');process.stdout.write(String(performance.now()-t))');
  const initEmpty = importMs('const t=performance.now();process.stdout.write(String(performance.now()-t))');

  const code = readFileSync(bundle);
  const missBest = Math.max(...missRates);
  const bareBest = Math.max(...bareRates);
  const ratios = missRates.map((m, i) => m / bareRates[i]).sort((x, y) => x - y);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`authorizer benchmark (Node ${process.version}, ${os.cpus().length} CPUs, ${N_TOKENS} distinct RS256-2048 tokens, best of ${ROUNDS} rounds)`);
  console.table([
    { 'path': 'bare aws-jwt-verify verify() (JWKS preloaded)', 'decisions/s': fmt(bareBest) },
    { 'path': 'bare aws-jwt-verify verifySync() (reference)', 'decisions/s': fmt(Math.max(...bareSyncRates)) },
    { 'path': 'authorizer decision, token-cache miss', 'decisions/s': fmt(missBest), 'vs bare': `${((missBest / bareBest) * 100).toFixed(1)}%` },
    { 'path': 'authorizer decision, token-cache hit', 'decisions/s': fmt(hitRate), 'vs bare': `${(hitRate / bareBest).toFixed(1)}x` },
    { 'path': 'bundled handler (logs + EMF to /dev/null), miss', 'decisions/s': fmt(handlerRun.miss), 'vs bare': `${((handlerRun.miss / bareBest) * 100).toFixed(1)}%` },
    { 'path': 'bundled handler (logs + EMF to /dev/null), hit', 'decisions/s': fmt(handlerRun.hit) },
  ]);
  console.log(`token-cache miss vs bare verify(), per-round ratios: ${ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(' ')}` +
    ` (median ${(ratios[Math.floor(ratios.length / 2)] * 100).toFixed(1)}%)`);
  console.log(`network calls while warm (JWKS preloaded): ${networkCalls}`);
  console.log(`cold init (require, median of 7): bundle ${initBundle.toFixed(1)} ms, bare aws-jwt-verify ${initBare.toFixed(1)} ms, empty ${initEmpty.toFixed(1)} ms`);
  console.log(`bundle assets/authorizer/index.js: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzip` +
    ` (${(statSync(bundle).size / 1024).toFixed(1)} KB on disk)`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
