import type { AttributeValue, DynamoDb, UpdateItemInput } from '../shared/aws/dynamodb';
import { isAwsError } from '../shared/aws/errors';

export type CircuitStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'FORCED_OPEN' | 'DISABLED';
export const CIRCUIT_STATES: readonly CircuitStateName[] = ['CLOSED', 'HALF_OPEN', 'OPEN', 'FORCED_OPEN', 'DISABLED'];

/** The circuit's state item as stored (see runtime spec §2.3.2). Absent item = CLOSED, version 0. */
export interface CircuitItem {
  readonly state: CircuitStateName;
  readonly version: number;
  readonly openedAt: number;
  readonly openUntil: number;
  readonly attempt: number;
  readonly hoMax: number;
  readonly hoIssued: number;
  readonly hoOk: number;
  readonly hoFail: number;
  readonly leaseUntil: number;
  readonly reason: string;
}

export const CLOSED_ITEM: CircuitItem = {
  state: 'CLOSED', version: 0, openedAt: 0, openUntil: 0, attempt: 0, hoMax: 0, hoIssued: 0, hoOk: 0, hoFail: 0, leaseUntil: 0, reason: '',
};

/** What the breaker needs from its store. Conditional writes resolve `undefined` when the condition failed. */
export interface StateStore {
  read(consistent: boolean): Promise<CircuitItem>;
  /** `ADD` failures and slow calls to the fleet window item; resolves the window's failure count after the add. */
  addFailures(windowStart: number, failures: number, slow: number, ttlSeconds: number): Promise<number>;
  /** Failures recorded in a fleet window item (0 when absent). */
  readWindow(windowStart: number): Promise<number>;
  trip(now: number, openUntil: number, reason: string, envId: string): Promise<CircuitItem | undefined>;
  startLease(now: number, leaseUntil: number, permits: number, envId: string): Promise<CircuitItem | undefined>;
  takePermit(version: number, now: number): Promise<CircuitItem | undefined>;
  recordProbe(version: number, ok: boolean): Promise<CircuitItem | undefined>;
  close(version: number, now: number, envId: string): Promise<CircuitItem | undefined>;
  reopen(version: number, now: number, openUntil: number, attempt: number, reason: string, envId: string): Promise<CircuitItem | undefined>;
}

/** Observes every store request: operation, wall time, whether it failed. */
export type StoreObserver = (operation: string, ms: number, error?: unknown) => void;

export interface DynamoStateStoreOptions {
  readonly client: DynamoDb;
  readonly tableName: string;
  readonly circuit: string;
  /** Per-request bound; the request is aborted after it. */
  readonly timeoutMs: number;
  readonly observer?: StoreObserver;
}

const CLEAR_PROBES = 'REMOVE hoMax, hoIssued, hoOk, hoFail, leaseUntil';
const n = (v: number): AttributeValue => ({ N: String(v) });
const s = (v: string): AttributeValue => ({ S: v });

/**
 * The circuit's DynamoDB item (`pk = cb#<name>`) and its fleet failure windows
 * (`pk = cb#<name>#w#<windowStartMs>`). Every transition is a conditional, versioned
 * `UpdateItem`; failure counts only ever use `ADD`, so concurrent environments never lose
 * an increment.
 */
export class DynamoStateStore implements StateStore {
  private readonly key: Record<string, AttributeValue>;

  constructor(private readonly options: DynamoStateStoreOptions) {
    this.key = { pk: s(`cb#${options.circuit}`) };
  }

  public async read(consistent: boolean): Promise<CircuitItem> {
    const out = await this.send('GetItem', (signal) => this.options.client.getItem({
      TableName: this.options.tableName, Key: this.key, ConsistentRead: consistent,
    }, { signal }));
    return out.Item ? parseItem(out.Item) : CLOSED_ITEM;
  }

  public async addFailures(windowStart: number, failures: number, slow: number, ttlSeconds: number): Promise<number> {
    const out = await this.send('AddFailures', (signal) => this.options.client.updateItem({
      TableName: this.options.tableName,
      Key: this.windowKey(windowStart),
      UpdateExpression: 'ADD f :f, s :s SET #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':f': n(failures), ':s': n(slow), ':ttl': n(ttlSeconds) },
      ReturnValues: 'UPDATED_NEW',
    }, { signal }));
    return Number(out.Attributes?.f?.N ?? failures);
  }

  public async readWindow(windowStart: number): Promise<number> {
    const out = await this.send('ReadWindow', (signal) => this.options.client.getItem({
      TableName: this.options.tableName, Key: this.windowKey(windowStart), ProjectionExpression: 'f',
    }, { signal }));
    return Number(out.Item?.f?.N ?? 0);
  }

  public trip(now: number, openUntil: number, reason: string, envId: string): Promise<CircuitItem | undefined> {
    return this.transition('Trip',
      'SET st=:open, ver=if_not_exists(ver,:zero)+:one, openedAt=:now, openUntil=:until, attempt=:zero, reason=:reason, updatedBy=:env, ' +
      `updatedAt=:now, #schema=:one ${CLEAR_PROBES}`,
      'attribute_not_exists(st) OR st=:closed',
      { open: 'OPEN', closed: 'CLOSED', zero: 0, one: 1, now, until: openUntil, reason, env: envId });
  }

  public startLease(now: number, leaseUntil: number, permits: number, envId: string): Promise<CircuitItem | undefined> {
    // From OPEN once openUntil has passed, or from HALF_OPEN whose lease expired (its prober died):
    // a new lease, a new version (late results of the old lease no longer count) and one permit taken.
    return this.transition('StartLease',
      'SET st=:half, ver=ver+:one, hoMax=:max, hoIssued=:one, hoOk=:zero, hoFail=:zero, leaseUntil=:lease, reason=:reason, updatedBy=:env, updatedAt=:now',
      '(st=:open AND openUntil<=:now) OR (st=:half AND leaseUntil<:now)',
      { half: 'HALF_OPEN', open: 'OPEN', one: 1, zero: 0, max: permits, lease: leaseUntil, now, reason: 'probe', env: envId });
  }

  public takePermit(version: number, now: number): Promise<CircuitItem | undefined> {
    return this.transition('TakePermit', 'ADD hoIssued :one', 'st=:half AND ver=:ver AND hoIssued<hoMax AND leaseUntil>=:now',
      { half: 'HALF_OPEN', ver: version, one: 1, now });
  }

  public recordProbe(version: number, ok: boolean): Promise<CircuitItem | undefined> {
    return this.transition('RecordProbe', ok ? 'ADD hoOk :one' : 'ADD hoFail :one', 'st=:half AND ver=:ver', { half: 'HALF_OPEN', ver: version, one: 1 });
  }

  public close(version: number, now: number, envId: string): Promise<CircuitItem | undefined> {
    return this.transition('Close',
      `SET st=:closed, ver=ver+:one, attempt=:zero, reason=:reason, updatedBy=:env, updatedAt=:now ${CLEAR_PROBES}`,
      'st=:half AND ver=:ver',
      { closed: 'CLOSED', half: 'HALF_OPEN', ver: version, one: 1, zero: 0, now, reason: 'probes-succeeded', env: envId });
  }

  public reopen(version: number, now: number, openUntil: number, attempt: number, reason: string, envId: string): Promise<CircuitItem | undefined> {
    return this.transition('Reopen',
      `SET st=:open, ver=ver+:one, openedAt=:now, openUntil=:until, attempt=:attempt, reason=:reason, updatedBy=:env, updatedAt=:now ${CLEAR_PROBES}`,
      'st=:half AND ver=:ver',
      { open: 'OPEN', half: 'HALF_OPEN', ver: version, one: 1, now, until: openUntil, attempt, reason, env: envId });
  }

  /** A conditional UpdateItem of the state item; `values` become `:name` placeholders (strings as S, numbers as N). */
  private async transition(
    operation: string,
    update: string,
    condition: string,
    values: Record<string, string | number>,
  ): Promise<CircuitItem | undefined> {
    const input: UpdateItemInput = {
      TableName: this.options.tableName,
      Key: this.key,
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, typeof v === 'number' ? n(v) : s(v)])),
      // On a failed condition callers re-read (dynalite never returns the old item, so
      // ReturnValuesOnConditionCheckFailure could not be relied on anyway).
      ReturnValues: 'ALL_NEW',
      ...(update.includes('#schema') ? { ExpressionAttributeNames: { '#schema': 'schema' } } : {}),
    };
    try {
      const out = await this.send(operation, (signal) => this.options.client.updateItem(input, { signal }));
      return out.Attributes ? parseItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  private windowKey(windowStart: number): Record<string, AttributeValue> {
    return { pk: s(`cb#${this.options.circuit}#w#${windowStart}`) };
  }

  private async send<T>(operation: string, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const result = await request(controller.signal);
      this.options.observer?.(operation, performance.now() - started);
      return result;
    } catch (error) {
      // A failed condition is an answer, not a store failure.
      this.options.observer?.(operation, performance.now() - started, isConditionFailure(error) ? undefined : error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

function isConditionFailure(error: unknown): boolean {
  return isAwsError(error, 'ConditionalCheckFailedException');
}

function parseItem(item: Record<string, AttributeValue>): CircuitItem {
  const num = (k: string) => Number(item[k]?.N ?? 0);
  const st = item.st?.S as CircuitStateName | undefined;
  return {
    state: st && CIRCUIT_STATES.includes(st) ? st : 'CLOSED',
    version: num('ver'),
    openedAt: num('openedAt'),
    openUntil: num('openUntil'),
    attempt: num('attempt'),
    hoMax: num('hoMax'),
    hoIssued: num('hoIssued'),
    hoOk: num('hoOk'),
    hoFail: num('hoFail'),
    leaseUntil: num('leaseUntil'),
    reason: item.reason?.S ?? '',
  };
}
