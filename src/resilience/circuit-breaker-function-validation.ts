import { Duration, Names, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CircuitBreakerFunctionProps } from './circuit-breaker-function-props';
import { PropsValidator } from '../core/validation';

const NAME_PATTERN = /^[A-Za-z0-9_.:/-]{1,100}$/;
const SAFETY_MARGIN = Duration.seconds(1);

/** The props a CircuitBreakerFunction resolves before it builds anything. */
export interface ResolvedBreakerProps {
  readonly circuitName: string;
  readonly callTimeout: Duration;
  readonly timeout: Duration;
  readonly openDuration: Duration;
  readonly halfOpenPermits: number;
  readonly stateRefresh: Duration;
}

/** Check every prop (one error lists all problems) and resolve the defaults the checks depend on. */
export function validateCircuitBreakerProps(scope: Construct, props: CircuitBreakerFunctionProps): ResolvedBreakerProps {
  const trip = props.tripRules ?? {};
  const recovery = props.recovery ?? {};
  const cache = props.stateCache ?? {};
  const d: ResolvedBreakerProps = {
    circuitName: props.circuitName ?? defaultCircuitName(scope),
    callTimeout: props.callTimeout ?? Duration.seconds(5),
    timeout: props.timeout ?? Duration.seconds(10),
    openDuration: recovery.openDuration ?? Duration.seconds(30),
    halfOpenPermits: recovery.halfOpenPermits ?? 3,
    stateRefresh: cache.refreshInterval ?? Duration.seconds(1),
  };
  const v = new PropsValidator(scope, 'CircuitBreakerFunction');
  v.matches('circuitName', d.circuitName, NAME_PATTERN, 'letters, digits and _ . : / - (1 to 100 characters)');
  v.inRange('tripRules.failureRateThreshold', trip.failureRateThreshold, 1, 100);
  v.integerInRange('tripRules.minimumCalls', trip.minimumCalls, 1, 100_000);
  v.durationInRange('tripRules.slidingWindow', trip.slidingWindow, Duration.seconds(1), Duration.hours(1));
  v.integerInRange('tripRules.consecutiveFailureThreshold', trip.consecutiveFailureThreshold, 0, 100_000);
  v.integerInRange('tripRules.fleetFailureThreshold', trip.fleetFailureThreshold, 0, 1_000_000_000);
  v.durationInRange('tripRules.fleetWindow', trip.fleetWindow, Duration.seconds(1), Duration.hours(1));
  v.inRange('tripRules.slowCallRateThreshold', trip.slowCallRateThreshold, 1, 100);
  v.durationInRange('timeout', d.timeout, Duration.seconds(2), Duration.minutes(15));
  v.durationInRange('callTimeout', d.callTimeout, Duration.millis(10), Duration.minutes(15));
  if (!d.callTimeout.isUnresolved() && !d.timeout.isUnresolved() &&
    d.callTimeout.toMilliseconds() > d.timeout.toMilliseconds() - SAFETY_MARGIN.toMilliseconds()) {
    v.fail('callTimeout', `must be at least 1 second shorter than timeout (${d.timeout.toHumanString()}) to leave time for the fallback`, d.callTimeout);
  }
  v.durationInRange('tripRules.slowCallDuration', trip.slowCallDuration, Duration.millis(1), d.callTimeout);
  v.durationInRange('recovery.openDuration', d.openDuration, Duration.seconds(1), Duration.hours(1));
  v.durationInRange('recovery.maxOpenDuration', recovery.maxOpenDuration, d.openDuration, Duration.hours(24));
  v.integerInRange('recovery.halfOpenPermits', d.halfOpenPermits, 1, 100);
  v.integerInRange('recovery.halfOpenSuccessThreshold', recovery.halfOpenSuccessThreshold, 1,
    Token.isUnresolved(d.halfOpenPermits) ? 100 : d.halfOpenPermits);
  v.durationInRange('recovery.probeLease', recovery.probeLease, Duration.seconds(1), Duration.hours(1));
  if (recovery.probeLease && !recovery.probeLease.isUnresolved() && recovery.probeLease.toMilliseconds() < d.callTimeout.toMilliseconds()) {
    v.fail('recovery.probeLease', `must be at least callTimeout (${d.callTimeout.toHumanString()}): a probe must be able to finish within its lease`, recovery.probeLease);
  }
  v.durationInRange('stateCache.refreshInterval', d.stateRefresh, Duration.millis(0), Duration.minutes(1));
  v.durationInRange('stateCache.maxStaleness', cache.maxStaleness, d.stateRefresh, Duration.hours(1));
  v.integerInRange('memorySize', props.memorySize, 128, 10_240);
  v.check(!(props.vpcSubnets && !props.vpc), 'vpcSubnets', 'requires vpc', 'subnets without a vpc');
  v.check(!(props.securityGroups && !props.vpc), 'securityGroups', 'requires vpc', 'security groups without a vpc');
  if (props.target.kind === 'http') {
    v.matches('target url', props.target.url, /^https?:\/\/[^\s/?#]+([/?#][^\s]*)?$/, 'an http:// or https:// URL');
  }
  const response = props.fallback?.response;
  if (response) {
    v.integerInRange('fallback statusCode', response.statusCode, 100, 599);
    v.check(Token.isUnresolved(response.body) || response.body.length <= 2048, 'fallback body',
      'must be at most 2048 characters (it travels in an environment variable; use Fallback.lambda for larger answers)', `${response.body.length} characters`);
  }
  v.throwIfInvalid();
  return d;
}

function defaultCircuitName(scope: Construct): string {
  const fromPath = scope.node.path.replace(/[^A-Za-z0-9_.:/-]/g, '-');
  return fromPath.length <= 100 ? fromPath : Names.uniqueId(scope).slice(-100);
}
