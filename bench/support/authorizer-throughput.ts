import { readFileSync } from 'node:fs';
import { JwtVerifier } from 'aws-jwt-verify';
import { Authorizer } from '../../lambda-src/authorizer/authorizer';
import { answerRest } from '../../lambda-src/authorizer/events';
import { ThrottledJwksCache } from '../../lambda-src/authorizer/jwks-cache';
import { JsonConfig } from '../../lambda-src/shared';
import { AuthorizerSettingsDocument, parseAuthorizerSettings } from '../../src/api/authorizer-settings';

// Runs in a fresh process, bundled by bench/authorizer.ts the way the shipped handler is
// (esbuild, node22, minified), so the authorizer and bare aws-jwt-verify run as they do in
// Lambda: a small heap. (In the bench's own ts-node process the TypeScript compiler fills
// the heap and every allocation costs more garbage collection, for both, unevenly.)
//
// Input: a JSON file named by argv[2]. Output: one JSON line of per-round rates on stdout.

/** What bench/authorizer.ts hands over. */
export interface ThroughputInput {
  readonly tokens: string[];
  readonly jwks: { keys: Array<Record<string, string>> };
  readonly issuer: string;
  readonly settings: AuthorizerSettingsDocument;
  readonly methodArn: string;
  readonly rounds: number;
  readonly block: number;
}

/** Decisions per second of each path in each reported round, by CPU time and by wall clock. */
export interface ThroughputResult {
  readonly cpu: { bare: number[]; miss: number[]; bareSync: number[]; hit: number[] };
  readonly wall: { bare: number[]; miss: number[]; bareSync: number[]; hit: number[] };
  readonly networkCalls: number;
}

const PATHS = ['bare', 'miss', 'bareSync'] as const;

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ThroughputInput;
  const { tokens, block } = input;
  const n = tokens.length;
  const events = tokens.map((t) => ({ type: 'TOKEN' as const, authorizationToken: `Bearer ${t}`, methodArn: input.methodArn }));
  let networkCalls = 0;
  const makeAuthorizer = () => new Authorizer(parseAuthorizerSettings(new JsonConfig('AUTHORIZER_SETTINGS', input.settings)), {
    jwksCache: new ThrottledJwksCache({
      minRefetchIntervalMs: 10_000,
      fetchTimeoutMs: 2000,
      fetcher: { fetch: async () => { networkCalls++; throw new Error('bench: no network'); } },
    }),
  });
  // bare aws-jwt-verify: one verifier, JWKS preloaded, verify() every token
  const bare = JwtVerifier.create({ issuer: input.issuer, audience: 'api', jwksUri: `${input.issuer}/.well-known/jwks.json` });
  bare.cacheJwks(input.jwks as never);

  const timeBlock = async (from: number, to: number, fn: (i: number) => unknown, check?: (result: unknown, i: number) => void) => {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      const result = await fn(i);
      check?.(result, i);
    }
    const cpu = process.cpuUsage(cpuStart);
    return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  // every authorizer decision must be a verified allow (a cheap synchronous check)
  const allowedMiss = (out: unknown, i: number) => {
    const { record } = out as Awaited<ReturnType<typeof answerRest>>;
    if (record.decision !== 'allow' || record.cache !== 'miss') throw new Error(`bench token ${i}: ${record.reason} (${record.cache})`);
  };

  // Each round walks all tokens in blocks, timing bare verify(), the authorizer and bare
  // verifySync() on the same block back to back (rotating which goes first), so all three see
  // the same machine state. Round 0 warms the JIT and is not reported. Each round uses a
  // fresh authorizer, so every token is a token-cache miss.
  const result: ThroughputResult = {
    cpu: { bare: [], miss: [], bareSync: [], hit: [] },
    wall: { bare: [], miss: [], bareSync: [], hit: [] },
    networkCalls: 0,
  };
  for (let r = 0; r <= input.rounds; r++) {
    const fresh = makeAuthorizer();
    const run: Record<typeof PATHS[number], (i: number) => unknown> = {
      bare: (i) => bare.verify(tokens[i]),
      miss: (i) => answerRest(fresh, events[i]),
      bareSync: (i) => bare.verifySync(tokens[i]),
    };
    const cpu = { bare: 0, miss: 0, bareSync: 0 };
    const wall = { bare: 0, miss: 0, bareSync: 0 };
    for (let from = 0, b = 0; from < n; from += block, b++) {
      for (let k = 0; k < PATHS.length; k++) {
        const path = PATHS[(b + k) % PATHS.length];
        const t = await timeBlock(from, Math.min(from + block, n), run[path], path === 'miss' ? allowedMiss : undefined);
        cpu[path] += t.cpu;
        wall[path] += t.wall;
      }
    }
    // the same authorizer again: every token is now a token-cache hit
    const hit = await timeBlock(0, n, (i) => answerRest(fresh, events[i]));
    if (r === 0) continue;
    for (const path of PATHS) {
      result.cpu[path].push(n / cpu[path]);
      result.wall[path].push(n / wall[path]);
    }
    result.cpu.hit.push(n / hit.cpu);
    result.wall.hit.push(n / hit.wall);
  }
  process.stdout.write(`${JSON.stringify({ ...result, networkCalls })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
