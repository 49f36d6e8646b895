import { BreakerSettings } from './breaker';
import { CircuitConfigError } from './errors';
import { JsonConfig } from '../shared/config';

/** The environment variable the construct writes all settings into, as one JSON object. */
export const SETTINGS_VARIABLE = 'CIRCUIT_BREAKER_SETTINGS';

export type TargetSettings =
  | { readonly type: 'http'; readonly url: string }
  | { readonly type: 'lambda'; readonly functionName: string };

export type FallbackSettings =
  | { readonly type: 'static'; readonly statusCode: number; readonly body: string; readonly headers: Record<string, string> }
  | { readonly type: 'lambda'; readonly functionName: string };

export interface HandlerSettings extends BreakerSettings {
  readonly tableName: string;
  readonly target: TargetSettings;
  readonly fallback?: FallbackSettings;
  readonly storeTimeoutMs: number;
  readonly storeMaxAttempts: number;
  readonly prefetchOnInit: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Read and check every setting; all problems are reported in one CircuitConfigError that
 * names each setting, so a bad deployment fails at init instead of misbehaving per call.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): HandlerSettings {
  const problems: string[] = [];
  let config: JsonConfig;
  try {
    config = JsonConfig.fromEnvironment(SETTINGS_VARIABLE, env);
  } catch (error) {
    throw new CircuitConfigError((error as Error).message);
  }
  const int = (min: number, max: number) => ({ min, max, integer: true });

  const callTimeoutMs = config.number('callTimeoutMs', int(1, 15 * MINUTE), 5_000);
  const openDurationMs = config.number('openDurationMs', int(1, 24 * HOUR), 30_000);
  const halfOpenPermits = config.number('halfOpenPermits', int(1, 1000), 3);
  const stateRefreshMs = config.number('stateRefreshMs', int(0, HOUR), 1_000);
  const settings: HandlerSettings = {
    name: config.string('name', env.AWS_LAMBDA_FUNCTION_NAME ?? ''),
    tableName: config.string('tableName'),
    target: readTarget(config.raw('target'), problems),
    fallback: readFallback(config.raw('fallback'), problems),
    failureRateThreshold: config.number('failureRateThreshold', { min: 1, max: 100 }, 50),
    minimumCalls: config.number('minimumCalls', int(1, 1_000_000), 10),
    windowMs: config.number('windowMs', int(100, HOUR), 10_000),
    buckets: config.number('buckets', int(1, 100), 10),
    consecutiveFailureThreshold: config.number('consecutiveFailureThreshold', int(0, 1_000_000), 5),
    fleetFailureThreshold: config.number('fleetFailureThreshold', int(0, 1_000_000_000), 20),
    fleetWindowMs: config.number('fleetWindowMs', int(100, HOUR), 10_000),
    fleetFlushIntervalMs: config.number('fleetFlushIntervalMs', int(0, MINUTE), 200),
    slowCallDurationMs: config.number('slowCallDurationMs', int(1, 15 * MINUTE), callTimeoutMs),
    slowCallRateThreshold: config.number('slowCallRateThreshold', { min: 1, max: 100 }, 100),
    callTimeoutMs,
    timeoutSafetyMarginMs: config.number('timeoutSafetyMarginMs', int(0, MINUTE), 500),
    openDurationMs,
    maxOpenDurationMs: config.number('maxOpenDurationMs', int(1, 24 * HOUR), Math.max(300_000, openDurationMs)),
    backoffMultiplier: config.number('backoffMultiplier', { min: 1, max: 10 }, 2),
    jitter: config.number('jitter', { min: 0, max: 1 }, 0.2),
    halfOpenPermits,
    halfOpenSuccessThreshold: config.number('halfOpenSuccessThreshold', int(1, 1000), Math.min(3, halfOpenPermits)),
    halfOpenMaxFailures: config.number('halfOpenMaxFailures', int(0, 1000), 0),
    probeLeaseMs: config.number('probeLeaseMs', int(1, HOUR), Math.max(2 * callTimeoutMs, 10_000)),
    stateRefreshMs,
    maxStaleMs: config.number('maxStaleMs', int(0, HOUR), Math.max(5_000, stateRefreshMs)),
    maxConcurrent: config.number('maxConcurrent', int(0, 1_000_000), 0),
    fallbackOnFailure: config.boolean('fallbackOnFailure', true),
    storeTimeoutMs: config.number('storeTimeoutMs', int(1, MINUTE), 150),
    storeMaxAttempts: config.number('storeMaxAttempts', int(1, 10), 2),
    prefetchOnInit: config.boolean('prefetchOnInit', true),
  };
  if (settings.name === '') problems.push('name must be a non-empty string (or AWS_LAMBDA_FUNCTION_NAME must be set)');
  if (settings.halfOpenSuccessThreshold > settings.halfOpenPermits) {
    problems.push(`halfOpenSuccessThreshold must not exceed halfOpenPermits (${settings.halfOpenPermits}), got ${settings.halfOpenSuccessThreshold}`);
  }
  if (settings.maxOpenDurationMs < settings.openDurationMs) {
    problems.push(`maxOpenDurationMs must be at least openDurationMs (${settings.openDurationMs}), got ${settings.maxOpenDurationMs}`);
  }
  if (settings.maxStaleMs < settings.stateRefreshMs) {
    problems.push(`maxStaleMs must be at least stateRefreshMs (${settings.stateRefreshMs}), got ${settings.maxStaleMs}`);
  }
  if (settings.windowMs < settings.buckets) problems.push(`windowMs must be at least buckets (${settings.buckets}), got ${settings.windowMs}`);

  try {
    config.validate();
  } catch (error) {
    problems.unshift((error as Error).message.replace(/^invalid settings in \S+: /, ''));
  }
  if (problems.length > 0) throw new CircuitConfigError(`invalid settings in ${SETTINGS_VARIABLE}: ${problems.join('; ')}`);
  return settings;
}

function readTarget(raw: unknown, problems: string[]): TargetSettings {
  const t = raw as Partial<Record<string, unknown>> | undefined;
  if (t?.type === 'http' && typeof t.url === 'string' && /^https?:\/\/[^\s]+$/.test(t.url)) return { type: 'http', url: t.url };
  if (t?.type === 'lambda' && typeof t.functionName === 'string' && t.functionName.length > 0) return { type: 'lambda', functionName: t.functionName };
  problems.push(`target must be {"type":"http","url":"http(s)://..."} or {"type":"lambda","functionName":"..."}, got ${JSON.stringify(raw) ?? 'nothing'}`);
  return { type: 'http', url: 'http://invalid' };
}

function readFallback(raw: unknown, problems: string[]): FallbackSettings | undefined {
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
  problems.push('fallback must be {"type":"static","statusCode":100-599,"body":"...","headers":{...}} or ' +
    `{"type":"lambda","functionName":"..."}, got ${JSON.stringify(raw)}`);
  return undefined;
}
