import { bundleReport } from './support/bundle-report';
import { summarize } from './support/stats';
import { Breaker, ProtectedCall } from '../lambda-src/circuit-breaker/breaker';
import { CircuitItem, DynamoStateStore, StateStore } from '../lambda-src/circuit-breaker/store';
import { targetCall } from '../lambda-src/circuit-breaker/targets';
import type { DynamoDb } from '../lambda-src/shared/aws/dynamodb';
import { LocalDynamo, startDynalite } from '../test/helpers/dynalite';
import { LoopbackServer, startLoopbackServer } from '../test/helpers/http-server';
import { createCircuitTable, FakeClock, TABLE_NAME, testSettings } from '../test/lambda/circuit-breaker-harness';

// Circuit-breaker figures against dynalite and a loopback HTTP target, all in one run
// (goals from research/runtime.md §2.4). It prints; it never asserts. Bounded loops, < 60 s.
//
//   node -r ts-node/register/transpile-only bench/circuit-breaker.ts

const WARM_INVOCATIONS = 5_000;
const LATENCY_SAMPLES = 2_000;
const LATENCY_WARMUP = 300;
const RACE_ROUNDS = 20;
const TIME_TO_OPEN_TRIALS = 20;

let dynamo: LocalDynamo;
let target: LoopbackServer;
let circuitCounter = 0;
const noLambda = () => {
  throw new Error('no Lambda target in this benchmark');
};

/** Every store request on one ordered timeline with the phases of each protected call, to tell awaited from background requests. */
class Timeline {
  private seq = 0;
  public readonly ops: Array<{ op: string; start: number; end: number }> = [];
  public tick(): number {
    return this.seq++;
  }
}

function tracedStore(inner: StateStore, timeline: Timeline): StateStore {
  const wrap = <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const start = timeline.tick();
    try {
      return await fn(...args);
    } finally {
      timeline.ops.push({ op, start, end: timeline.tick() });
    }
  };
  return {
    read: wrap('read', (c: boolean) => inner.read(c)),
    addFailures: wrap('addFailures', (...a: [number, number, number, number]) => inner.addFailures(...a)),
    readWindow: wrap('readWindow', (w: number) => inner.readWindow(w)),
    trip: wrap('trip', (...a: [number, number, string, string]) => inner.trip(...a)),
    startLease: wrap('startLease', (...a: [number, number, number, string]) => inner.startLease(...a)),
    takePermit: wrap('takePermit', (...a: [number, number]) => inner.takePermit(...a)),
    recordProbe: wrap('recordProbe', (...a: [number, boolean]) => inner.recordProbe(...a)),
    close: wrap('close', (...a: [number, number, string]) => inner.close(...a)),
    reopen: wrap('reopen', (...a: [number, number, number, number, string, string]) => inner.reopen(...a)),
  };
}

function dynamoStore(client: DynamoDb, name: string): DynamoStateStore {
  return new DynamoStateStore({ client, tableName: TABLE_NAME, circuit: name, timeoutMs: 5_000 });
}

const summary = (values: number[]): { p50: number; p99: number } => {
  const { p50, p99 } = summarize(values);
  return { p50, p99 };
};

const ms = (v: number) => `${v.toFixed(3)} ms`;

/** CB1-CB3: store requests per warm CLOSED invocation, awaited and in the background (1 invocation per simulated ms = 1 000 rps). */
async function storeRequestsPerInvocation(): Promise<void> {
  const name = `bench-${++circuitCounter}`;
  const clock = new FakeClock();
  const timeline = new Timeline();
  const client = dynamo.dynamoDb();
  const breaker = new Breaker({ settings: testSettings(name), store: tracedStore(dynamoStore(client, name), timeline), envId: 'env', clock });
  const http = () => targetCall({ type: 'http', url: target.url }, {}, noLambda);
  await breaker.protect(http()); // cold start
  await breaker.settled();
  timeline.ops.length = 0;
  const phases: Array<{ protectStart: number; runStart: number; runEnd: number; protectEnd: number }> = [];
  for (let i = 0; i < WARM_INVOCATIONS; i++) {
    clock.advance(1);
    const phase = { protectStart: timeline.tick(), runStart: 0, runEnd: 0, protectEnd: 0 };
    const inner = http();
    await breaker.protect({
      ...inner,
      run: async (signal) => {
        phase.runStart = timeline.tick();
        try {
          return await inner.run(signal);
        } finally {
          phase.runEnd = timeline.tick();
        }
      },
    });
    phase.protectEnd = timeline.tick();
    phases.push(phase);
  }
  await breaker.settled();
  let awaited = 0;
  for (const op of timeline.ops) {
    const blockedBefore = phases.some((p) => op.start > p.protectStart && op.end < p.runStart);
    const blockedAfter = phases.some((p) => op.start > p.runEnd && op.end < p.protectEnd);
    if (blockedBefore || blockedAfter) awaited++;
  }
  const reads = timeline.ops.filter((o) => o.op === 'read').length;
  const writes = timeline.ops.length - reads;
  console.log(`\nCB1-CB3 store requests per warm CLOSED invocation (${WARM_INVOCATIONS} invocations, 1 000 rps, stateRefreshMs 1 000):`);
  console.table({
    'awaited (goal 0)': { total: awaited, perInvocation: awaited / WARM_INVOCATIONS },
    'writes (goal 0)': { total: writes, perInvocation: writes / WARM_INVOCATIONS },
    'reads, background (goal <= 1 per stateRefreshMs)': { total: reads, perInvocation: reads / WARM_INVOCATIONS },
  });
}

/** The per-call read-then-write design of circuitbreaker-lambda v0/v1: GetItem, call, unconditional SET of the whole state. */
async function readThenWriteCall(client: DynamoDb, name: string, call: () => Promise<unknown>): Promise<unknown> {
  const key = { pk: { S: `rmw#${name}` } };
  const got = await client.getItem({ TableName: TABLE_NAME, Key: key });
  const state = got.Item?.st?.S ?? 'CLOSED';
  if (state === 'OPEN') throw new Error('open');
  const result = await call();
  await client.updateItem({
    TableName: TABLE_NAME,
    Key: key,
    UpdateExpression: 'SET st = :st, fc = :fc, sc = :sc, updatedAt = :now',
    ExpressionAttributeValues: { ':st': { S: 'CLOSED' }, ':fc': { N: '0' }, ':sc': { N: String(Number(got.Item?.sc?.N ?? 0) + 1) }, ':now': { N: String(Date.now()) } },
  });
  return result;
}

/** CB4: handler time minus target time, per design, interleaved so that machine noise hits all three alike. */
async function addedLatency(): Promise<void> {
  const name = `bench-${++circuitCounter}`;
  const client = dynamo.dynamoDb();
  const breaker = new Breaker({ settings: testSettings(name), store: dynamoStore(client, name), envId: 'env' });
  const direct: number[] = [];
  const viaBreaker: number[] = [];
  const viaReadThenWrite: number[] = [];
  const breakerAdded: number[] = [];
  const rmwAdded: number[] = [];
  for (let i = 0; i < LATENCY_WARMUP + LATENCY_SAMPLES; i++) {
    const record = i >= LATENCY_WARMUP;
    // direct
    let t0 = performance.now();
    await targetCall({ type: 'http', url: target.url }, {}, noLambda).run(new AbortController().signal);
    const directMs = performance.now() - t0;
    // through the breaker
    let targetMs = 0;
    const inner = targetCall({ type: 'http', url: target.url }, {}, noLambda);
    const measured: ProtectedCall<unknown> = {
      ...inner,
      run: async (signal) => {
        const s = performance.now();
        try {
          return await inner.run(signal);
        } finally {
          targetMs = performance.now() - s;
        }
      },
    };
    t0 = performance.now();
    await breaker.protect(measured);
    const breakerMs = performance.now() - t0;
    const breakerTargetMs = targetMs;
    // read-then-write per call
    t0 = performance.now();
    await readThenWriteCall(client, name, async () => {
      const s = performance.now();
      try {
        return await targetCall({ type: 'http', url: target.url }, {}, noLambda).run(new AbortController().signal);
      } finally {
        targetMs = performance.now() - s;
      }
    });
    const rmwMs = performance.now() - t0;
    if (record) {
      direct.push(directMs);
      viaBreaker.push(breakerMs);
      viaReadThenWrite.push(rmwMs);
      breakerAdded.push(breakerMs - breakerTargetMs);
      rmwAdded.push(rmwMs - targetMs);
    }
  }
  await breaker.settled();
  const b = summary(breakerAdded);
  const r = summary(rmwAdded);
  console.log(`\nCB4 latency, CLOSED and healthy, loopback (${LATENCY_SAMPLES} samples after ${LATENCY_WARMUP} warm-ups, real clock):`);
  console.table({
    'target called directly': { ...fmt(summary(direct)) },
    'through this breaker': { ...fmt(summary(viaBreaker)) },
    'read-then-write per call (v0/v1 design)': { ...fmt(summary(viaReadThenWrite)) },
    'added by this breaker (handler - target)': { ...fmt(b) },
    'added by read-then-write (handler - target)': { ...fmt(r) },
  });
  console.log(`added p99: read-then-write / this breaker = ${(r.p99 / Math.max(b.p99, 0.001)).toFixed(1)}x (goal >= 10x); ` +
    `this breaker p50 ${ms(b.p50)} (goal <= 0.05 ms), p99 ${ms(b.p99)} (goal <= 0.2 ms)`);
}

function fmt(s: { p50: number; p99: number }) {
  return { p50: ms(s.p50), p99: ms(s.p99) };
}

/** CB5: in-process cost of protect() around an already-resolved call, no store I/O on the path. */
async function inProcessOverhead(): Promise<void> {
  const name = `bench-${++circuitCounter}`;
  const client = dynamo.dynamoDb();
  const clock = new FakeClock();
  const breaker = new Breaker({ settings: testSettings(name), store: dynamoStore(client, name), envId: 'env', clock });
  const call: ProtectedCall<number> = { run: async () => 1 };
  await breaker.protect(call);
  const n = 100_000;
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await call.run(new AbortController().signal);
  const bare = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < n; i++) await breaker.protect(call);
  const protectedMs = performance.now() - t0;
  console.log(`\nCB5 in-process overhead of protect() incl. AbortSignal timeout (${n} calls, fake clock): ` +
    `${(((protectedMs - bare) / n) * 1000).toFixed(2)} µs per call (goal <= 1.5 µs)`);
}

/** CB6: turning an API Gateway event into the request for the target (targetCall), before the breaker runs. */
async function requestBuilding(): Promise<void> {
  const event = {
    httpMethod: 'POST',
    path: '/orders/42/items',
    queryStringParameters: { page: '2', sort: 'name' },
    headers: { 'content-type': 'application/json', 'accept': 'application/json', 'x-request-id': 'abc-123' },
    body: '{"sku":"a-1","quantity":2}',
    isBase64Encoded: false,
    requestContext: {},
  };
  const build = () => targetCall({ type: 'http', url: `${target.url}/api` }, event, noLambda);
  for (let i = 0; i < 2_000; i++) build();
  const n = 50_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) build();
  console.log(`\nCB6 building the request of an API Gateway event (${n} events): ${(((performance.now() - t0) / n) * 1000).toFixed(2)} µs per event`);
}

/** CB7: simultaneous failures of N environments; lost increments of read-modify-write SET vs this breaker's ADD. */
async function lostUpdates(): Promise<void> {
  const rows: Record<string, { environments: number; expected: number; readModifyWriteLostPct: string; thisBreakerLostPct: string }> = {};
  for (const environments of [10, 50]) {
    let rmwLost = 0;
    let addLost = 0;
    let expected = 0;
    const clients = Array.from({ length: environments }, () => dynamo.dynamoDb());
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const name = `race-${++circuitCounter}`;
      // read-modify-write: GetItem, then SET fc = read + 1
      const key = { pk: { S: `rmw#${name}` } };
      await Promise.all(clients.map(async (c) => {
        const got = await c.getItem({ TableName: TABLE_NAME, Key: key, ConsistentRead: true });
        const fc = Number(got.Item?.fc?.N ?? 0) + 1;
        await c.updateItem({ TableName: TABLE_NAME, Key: key, UpdateExpression: 'SET fc = :fc', ExpressionAttributeValues: { ':fc': { N: String(fc) } } });
      }));
      const rmw = await clients[0].getItem({ TableName: TABLE_NAME, Key: key, ConsistentRead: true });
      rmwLost += environments - Number(rmw.Item?.fc?.N ?? 0);
      // this breaker: every environment fails once, counts flushed with ADD
      const clock = new FakeClock();
      const settings = testSettings(name, { minimumCalls: 1e6, consecutiveFailureThreshold: 0, fleetFailureThreshold: 1e9 });
      const breakers = clients.map((c, i) => new Breaker({ settings, store: dynamoStore(c, name), envId: `env-${i}`, clock }));
      await Promise.all(breakers.map((b) => b.protect({ run: async () => 1, isFailureResult: () => true })));
      await Promise.all(breakers.map((b) => b.settled()));
      const windowStart = Math.floor(clock.t / settings.fleetWindowMs) * settings.fleetWindowMs;
      const w = await clients[0].getItem({ TableName: TABLE_NAME, Key: { pk: { S: `cb#${name}#w#${windowStart}` } }, ConsistentRead: true });
      addLost += environments - Number(w.Item?.f?.N ?? 0);
      expected += environments;
    }
    rows[`${environments} environments`] = {
      environments,
      expected,
      readModifyWriteLostPct: ((100 * rmwLost) / expected).toFixed(1),
      thisBreakerLostPct: ((100 * addLost) / expected).toFixed(1),
    };
  }
  console.log(`\nCB7 lost failure increments, all environments failing at once (${RACE_ROUNDS} rounds each; goal 0 %):`);
  console.table(rows);
}

/**
 * CB8/CB9: 50 environments at 1 rps each (random phases), the target failing 100 % from t0.
 * Simulated time (fake clock), real DynamoDB requests. Time-to-open = openedAt - t0;
 * propagation = when the last environment acts on OPEN.
 */
async function fleetTimeToOpen(): Promise<void> {
  const environments = 50;
  const toOpen: number[] = [];
  const propagation: number[] = [];
  const clients = Array.from({ length: environments }, () => dynamo.dynamoDb());
  for (let trial = 0; trial < TIME_TO_OPEN_TRIALS; trial++) {
    const name = `fleet-${++circuitCounter}`;
    const clock = new FakeClock();
    const settings = testSettings(name, { fleetFlushIntervalMs: 200, fleetFailureThreshold: 20 });
    const breakers = clients.map((c, i) => new Breaker({ settings, store: dynamoStore(c, name), envId: `env-${i}`, clock }));
    // warm: every environment holds a CLOSED snapshot
    await Promise.all(breakers.map((b) => b.protect({ run: async () => 1 })));
    const t0 = clock.t + 1_000;
    const phases = breakers.map(() => Math.floor(Math.random() * 1_000));
    const events = breakers
      .flatMap((b, i) => Array.from({ length: 5 }, (_, k) => ({ at: t0 + phases[i] + k * 1_000, b })))
      .sort((x, y) => x.at - y.at);
    let openedAt: number | undefined;
    let allOpenAt: number | undefined;
    for (const event of events) {
      clock.t = event.at;
      await event.b.protect({ run: async () => 1, isFailureResult: () => true }, { fallback: async () => 0 });
      if (openedAt === undefined) {
        const state = await dynamoStore(clients[0], name).read(true);
        if (state.state === 'OPEN') openedAt = (state as CircuitItem).openedAt;
      }
      if (openedAt !== undefined && allOpenAt === undefined && breakers.every((b) => b.state === 'OPEN')) allOpenAt = clock.t;
    }
    await Promise.all(breakers.map((b) => b.settled()));
    if (openedAt !== undefined) toOpen.push(openedAt - t0);
    if (allOpenAt !== undefined && openedAt !== undefined) propagation.push(allOpenAt - openedAt);
  }
  const open = summary(toOpen);
  const prop = summary(propagation);
  console.log(`\nCB8 fleet time-to-open, ${environments} environments at 1 rps, 100 % failures from t0 (${TIME_TO_OPEN_TRIALS} trials, simulated time):`);
  console.log(`  opened in ${toOpen.length}/${TIME_TO_OPEN_TRIALS} trials; time-to-open p50 ${open.p50} ms, p99 ${open.p99} ms, max ${Math.max(...toOpen)} ms (goal p99 <= 1 500 ms)`);
  console.log(`CB9 OPEN reached every environment ${prop.p50} ms (p50) / ${prop.p99} ms (p99) after the trip (goal <= stateRefreshMs + 1 invocation = 2 000 ms at 1 rps)`);
}

/** CB13: bundle size, minified, AWS SDK external; own code = lambda-src/ (this handler + shared). */
async function bundleSize(): Promise<void> {
  const report = await bundleReport('circuit-breaker');
  console.log(`\nCB13 bundle size (minified, AWS SDK external; shipped gzip ${report.gzipKB} KB):`);
  console.table({
    'whole bundle (goal <= 60 KB)': { KB: report.minifiedKB },
    'own code: lambda-src/ incl. shared (goal <= 25 KB)': { KB: report.ownCodeKB },
    'own code: lambda-src/circuit-breaker only': { KB: report.handlerCodeKB },
    'Powertools Logger + Metrics and their dependencies': { KB: +(report.minifiedKB - report.ownCodeKB).toFixed(1) },
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  dynamo = await startDynalite();
  await createCircuitTable(dynamo);
  target = await startLoopbackServer(() => ({ status: 200, body: '{"items":[1,2,3]}' }));
  console.log(`circuit-breaker benchmark: dynalite + loopback HTTP target on 127.0.0.1, Node ${process.version}`);
  try {
    for (const section of [storeRequestsPerInvocation, addedLatency, inProcessOverhead, requestBuilding, lostUpdates, fleetTimeToOpen, bundleSize]) {
      const t0 = Date.now();
      await section();
      console.log(`(${section.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await target.stop();
    await dynamo.stop();
  }
  console.log(`\nfinished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
