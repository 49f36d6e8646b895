// The settings contract between CircuitBreakerFunction (which writes them) and the
// circuit-breaker handler (which parses them at init). Dependency-free: the handler
// bundles this file.
import type { SettingsReader } from '../core/settings-reader';

/** The environment variable holding the settings, as one JSON object. */
export const CIRCUIT_BREAKER_SETTINGS_VARIABLE = 'CIRCUIT_BREAKER_SETTINGS';

/** What the breaker engine works with, every default applied. */
export interface BreakerSettings {
  readonly name: string;
  /** Percent, 1-100. */
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly windowMs: number;
  readonly buckets: number;
  /** 0 = off. */
  readonly consecutiveFailureThreshold: number;
  /** 0 = off. */
  readonly fleetFailureThreshold: number;
  readonly fleetWindowMs: number;
  readonly fleetFlushIntervalMs: number;
  readonly slowCallDurationMs: number;
  /** Percent, 1-100. */
  readonly slowCallRateThreshold: number;
  readonly callTimeoutMs: number;
  readonly timeoutSafetyMarginMs: number;
  readonly openDurationMs: number;
  readonly maxOpenDurationMs: number;
  readonly backoffMultiplier: number;
  /** 0-1: the open duration varies by ± this fraction. */
  readonly jitter: number;
  readonly halfOpenPermits: number;
  readonly halfOpenSuccessThreshold: number;
  readonly halfOpenMaxFailures: number;
  readonly probeLeaseMs: number;
  readonly stateRefreshMs: number;
  readonly maxStaleMs: number;
  /** 0 = unlimited. */
  readonly maxConcurrent: number;
  readonly fallbackOnFailure: boolean;
}

export type TargetSettings =
  | { readonly type: 'http'; readonly url: string }
  | { readonly type: 'lambda'; readonly functionName: string };

export type FallbackSettings =
  | { readonly type: 'static'; readonly statusCode: number; readonly body: string; readonly headers: Record<string, string> }
  | { readonly type: 'lambda'; readonly functionName: string };

/** The handler's settings, every default applied. */
export interface CircuitBreakerSettings extends BreakerSettings {
  readonly tableName: string;
  readonly target: TargetSettings;
  readonly fallback?: FallbackSettings;
  readonly storeTimeoutMs: number;
  readonly storeMaxAttempts: number;
  readonly prefetchOnInit: boolean;
}

/** The document the construct writes: only the table and the target are required. */
export type CircuitBreakerSettingsDocument = Partial<CircuitBreakerSettings> & Pick<CircuitBreakerSettings, 'tableName' | 'target'>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Read and check every setting (defaults of the runtime spec §2.3.6); the reader reports
 * all problems in one error. `defaultName` is the circuit name when the document has none.
 */
export function parseCircuitBreakerSettings(config: SettingsReader<CircuitBreakerSettingsDocument>, defaultName = ''): CircuitBreakerSettings {
  // [min, max, default, integer?]
  const n = (key: keyof CircuitBreakerSettings, min: number, max: number, fallback: number, integer = true): number =>
    config.number(key, { min, max, integer }, fallback);
  const callTimeoutMs = n('callTimeoutMs', 1, 15 * MINUTE, 5_000);
  const openDurationMs = n('openDurationMs', 1, 24 * HOUR, 30_000);
  const halfOpenPermits = n('halfOpenPermits', 1, 1000, 3);
  const stateRefreshMs = n('stateRefreshMs', 0, HOUR, 1_000);
  const settings: CircuitBreakerSettings = {
    name: config.string('name', defaultName),
    tableName: config.string('tableName'),
    target: readTarget(config),
    fallback: readFallback(config),
    failureRateThreshold: n('failureRateThreshold', 1, 100, 50, false),
    minimumCalls: n('minimumCalls', 1, 1e6, 10),
    windowMs: n('windowMs', 100, HOUR, 10_000),
    buckets: n('buckets', 1, 100, 10),
    consecutiveFailureThreshold: n('consecutiveFailureThreshold', 0, 1e6, 5),
    fleetFailureThreshold: n('fleetFailureThreshold', 0, 1e9, 20),
    fleetWindowMs: n('fleetWindowMs', 100, HOUR, 10_000),
    fleetFlushIntervalMs: n('fleetFlushIntervalMs', 0, MINUTE, 200),
    slowCallDurationMs: n('slowCallDurationMs', 1, 15 * MINUTE, callTimeoutMs),
    slowCallRateThreshold: n('slowCallRateThreshold', 1, 100, 100, false),
    callTimeoutMs,
    timeoutSafetyMarginMs: n('timeoutSafetyMarginMs', 0, MINUTE, 500),
    openDurationMs,
    maxOpenDurationMs: n('maxOpenDurationMs', 1, 24 * HOUR, Math.max(300_000, openDurationMs)),
    backoffMultiplier: n('backoffMultiplier', 1, 10, 2, false),
    jitter: n('jitter', 0, 1, 0.2, false),
    halfOpenPermits,
    halfOpenSuccessThreshold: n('halfOpenSuccessThreshold', 1, 1000, Math.min(3, halfOpenPermits)),
    halfOpenMaxFailures: n('halfOpenMaxFailures', 0, 1000, 0),
    probeLeaseMs: n('probeLeaseMs', 1, HOUR, Math.max(2 * callTimeoutMs, 10_000)),
    stateRefreshMs,
    maxStaleMs: n('maxStaleMs', 0, HOUR, Math.max(5_000, stateRefreshMs)),
    maxConcurrent: n('maxConcurrent', 0, 1e6, 0),
    fallbackOnFailure: config.boolean('fallbackOnFailure', true),
    storeTimeoutMs: n('storeTimeoutMs', 1, MINUTE, 150),
    storeMaxAttempts: n('storeMaxAttempts', 1, 10, 2),
    prefetchOnInit: config.boolean('prefetchOnInit', true),
  };
  const atLeast = (key: keyof CircuitBreakerSettings, min: keyof CircuitBreakerSettings) => {
    if ((settings[key] as number) < (settings[min] as number)) config.fail(`${key} must be at least ${min} (${settings[min]}), got ${settings[key]}`);
  };
  atLeast('halfOpenPermits', 'halfOpenSuccessThreshold');
  atLeast('maxOpenDurationMs', 'openDurationMs');
  atLeast('maxStaleMs', 'stateRefreshMs');
  atLeast('windowMs', 'buckets');
  if (!settings.name) config.fail('name must be a non-empty string');
  config.validate();
  return settings;
}

function readTarget(config: SettingsReader<CircuitBreakerSettingsDocument>): TargetSettings {
  const raw = config.raw('target');
  const t = raw as Partial<Record<string, unknown>> | undefined;
  if (t?.type === 'http' && typeof t.url === 'string' && /^https?:\/\/[^\s]+$/.test(t.url)) return { type: 'http', url: t.url };
  if (t?.type === 'lambda' && typeof t.functionName === 'string' && t.functionName.length > 0) return { type: 'lambda', functionName: t.functionName };
  config.fail(`target must be {type:"http",url} or {type:"lambda",functionName}, got ${JSON.stringify(raw)}`);
  return { type: 'http', url: 'http://invalid' };
}

function readFallback(config: SettingsReader<CircuitBreakerSettingsDocument>): FallbackSettings | undefined {
  const raw = config.raw('fallback');
  if (raw === undefined || raw === null) return undefined;
  const f = raw as Partial<Record<string, unknown>>;
  if (f.type === 'lambda' && typeof f.functionName === 'string' && f.functionName.length > 0) return { type: 'lambda', functionName: f.functionName };
  const headers = f.headers ?? {};
  const headersOk = typeof headers === 'object' && headers !== null && !Array.isArray(headers) &&
    Object.values(headers).every((v) => typeof v === 'string');
  if (f.type === 'static' && Number.isInteger(f.statusCode) && (f.statusCode as number) >= 100 && (f.statusCode as number) <= 599 &&
    typeof f.body === 'string' && headersOk) {
    return { type: 'static', statusCode: f.statusCode as number, body: f.body, headers: headers as Record<string, string> };
  }
  config.fail(`fallback must be {type:"static",statusCode:100-599,body,headers?} or {type:"lambda",functionName}, got ${JSON.stringify(raw)}`);
  return undefined;
}
