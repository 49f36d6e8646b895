import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Breaker, BreakerEvents, BreakerSettings, ProtectedCall } from '../../lambda-src/circuit-breaker/breaker';
import { DynamoStateStore } from '../../lambda-src/circuit-breaker/store';
import { LocalDynamo } from '../helpers/dynalite';

// Simulated execution environments for the circuit-breaker runtime: each has its own
// Breaker, its own DynamoDB client and store, and shares one fake clock with the others.

export const TABLE_NAME = 'circuits';

export async function createCircuitTable(dynamo: LocalDynamo, tableName = TABLE_NAME): Promise<void> {
  await dynamo.createTable({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public t = 1_800_000_000_000) {}
  public now(): number {
    return this.t;
  }
  public advance(ms: number): void {
    this.t += ms;
  }
}

export function testSettings(name: string, overrides: Partial<BreakerSettings> = {}): BreakerSettings {
  return {
    name,
    failureRateThreshold: 50,
    minimumCalls: 10,
    windowMs: 10_000,
    buckets: 10,
    consecutiveFailureThreshold: 5,
    fleetFailureThreshold: 0,
    fleetWindowMs: 10_000,
    fleetFlushIntervalMs: 0,
    slowCallDurationMs: 1_000,
    slowCallRateThreshold: 100,
    callTimeoutMs: 1_000,
    timeoutSafetyMarginMs: 100,
    openDurationMs: 30_000,
    maxOpenDurationMs: 300_000,
    backoffMultiplier: 2,
    jitter: 0,
    halfOpenPermits: 3,
    halfOpenSuccessThreshold: 3,
    halfOpenMaxFailures: 0,
    probeLeaseMs: 10_000,
    stateRefreshMs: 1_000,
    maxStaleMs: 5_000,
    maxConcurrent: 0,
    fallbackOnFailure: true,
    ...overrides,
  };
}

export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
}

/** One simulated execution environment. */
export interface Environment {
  readonly breaker: Breaker;
  readonly client: DynamoDBClient;
  readonly metrics: RecordedMetric[];
  readonly logs: Array<{ level: string; message: string; attributes: Record<string, unknown> }>;
  /** Store requests made so far, by operation. */
  readonly storeCalls: string[];
}

export function environment(dynamo: LocalDynamo, settings: BreakerSettings, clock: FakeClock, id: string, tableName = TABLE_NAME): Environment {
  const client = dynamo.client();
  const metrics: RecordedMetric[] = [];
  const logs: Environment['logs'] = [];
  const storeCalls: string[] = [];
  const events: BreakerEvents = {
    metric: (name, _unit, value) => metrics.push({ name, value }),
    log: (level, message, attributes) => logs.push({ level, message, attributes }),
  };
  const store = new DynamoStateStore({
    client: dynamo.dynamoDb(),
    tableName,
    circuit: settings.name,
    timeoutMs: 5_000,
    observer: (operation) => storeCalls.push(operation),
  });
  const breaker = new Breaker({ settings, store, envId: id, clock, events, random: () => 0.5 });
  return { breaker, client, metrics, logs, storeCalls };
}

/** A call that resolves `value`, or rejects with `error`. */
export function callResolving<R>(value: R): ProtectedCall<R> {
  return { run: async () => value };
}

export function callFailing(error: Error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })): ProtectedCall<never> {
  return { run: async () => Promise.reject(error) };
}

/** The circuit's state item as stored, attribute values flattened. */
export async function stateItem(client: DynamoDBClient, name: string, tableName = TABLE_NAME): Promise<Record<string, string> | undefined> {
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `cb#${name}` } }, ConsistentRead: true }));
  if (!out.Item) return undefined;
  return Object.fromEntries(Object.entries(out.Item).map(([k, v]) => [k, v.S ?? v.N ?? JSON.stringify(v)]));
}

export async function windowFailures(client: DynamoDBClient, name: string, windowStart: number, tableName = TABLE_NAME): Promise<number> {
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `cb#${name}#w#${windowStart}` } }, ConsistentRead: true }));
  return Number(out.Item?.f?.N ?? 0);
}

/** Settle a promise and return its outcome without throwing. */
export async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: any }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
