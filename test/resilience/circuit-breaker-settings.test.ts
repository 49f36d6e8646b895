import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { JsonConfig } from '../../lambda-src/shared/config';
import { CircuitBreakerFunction, CircuitTarget, Fallback } from '../../src/resilience';
import { CIRCUIT_BREAKER_SETTINGS_VARIABLE, CircuitBreakerSettings, parseCircuitBreakerSettings } from '../../src/resilience/circuit-breaker-settings';
import { synthesizedSettings, TOKEN, withRenamedKey } from '../helpers/settings-contract';

// The contract between CircuitBreakerFunction and the circuit-breaker handler: what the
// construct synthesizes, the handler's own parser reads as the props asked for.
function synthesize(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  new CircuitBreakerFunction(stack, 'Breaker', {
    target: CircuitTarget.http('https://inventory.example.com'),
    fallback: Fallback.staticResponse({ statusCode: 200, body: '{"items":[]}', headers: { 'x-fallback': '1' } }),
    fallbackOnFailure: false,
    circuitName: 'inventory',
    callTimeout: Duration.seconds(3),
    tripRules: {
      failureRateThreshold: 40,
      minimumCalls: 7,
      slidingWindow: Duration.seconds(20),
      consecutiveFailureThreshold: 4,
      fleetFailureThreshold: 30,
      fleetWindow: Duration.seconds(15),
      slowCallDuration: Duration.seconds(2),
      slowCallRateThreshold: 80,
    },
    recovery: {
      openDuration: Duration.seconds(45),
      maxOpenDuration: Duration.minutes(10),
      halfOpenPermits: 4,
      halfOpenSuccessThreshold: 2,
      probeLease: Duration.seconds(20),
    },
    stateCache: { refreshInterval: Duration.millis(500), maxStaleness: Duration.seconds(3) },
  });
  return synthesizedSettings(Template.fromStack(stack), CIRCUIT_BREAKER_SETTINGS_VARIABLE);
}

const parse = (document: Record<string, unknown>) => parseCircuitBreakerSettings(new JsonConfig(CIRCUIT_BREAKER_SETTINGS_VARIABLE, document));

const EXPECTED: Partial<CircuitBreakerSettings> = {
  name: 'inventory',
  tableName: TOKEN,
  target: { type: 'http', url: 'https://inventory.example.com' },
  fallback: { type: 'static', statusCode: 200, body: '{"items":[]}', headers: { 'x-fallback': '1' } },
  fallbackOnFailure: false,
  callTimeoutMs: 3000,
  failureRateThreshold: 40,
  minimumCalls: 7,
  windowMs: 20000,
  consecutiveFailureThreshold: 4,
  fleetFailureThreshold: 30,
  fleetWindowMs: 15000,
  slowCallDurationMs: 2000,
  slowCallRateThreshold: 80,
  openDurationMs: 45000,
  maxOpenDurationMs: 600000,
  halfOpenPermits: 4,
  halfOpenSuccessThreshold: 2,
  probeLeaseMs: 20000,
  stateRefreshMs: 500,
  maxStaleMs: 3000,
};

describe('circuit-breaker settings contract', () => {
  test('the handler parses the synthesized settings into exactly the values the props asked for', () => {
    expect(parse(synthesize())).toMatchObject(EXPECTED);
  });

  test('a field the construct renamed would fail the contract', () => {
    const renamed = withRenamedKey(synthesize(), 'windowMs', 'slidingWindowMs');
    expect(() => expect(parse(renamed)).toMatchObject(EXPECTED)).toThrow();
  });
});
