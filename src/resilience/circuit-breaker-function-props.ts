import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CircuitTarget } from './circuit-target';
import { Fallback } from './fallback';
import { LifecycleProps, ObservabilityProps } from '../core/shared-props';

/** When a {@link CircuitBreakerFunction} opens its circuit. */
export interface CircuitTripRules {
  /**
   * Failure rate, in percent, of the calls in `slidingWindow` of one environment at which the circuit opens.
   * @default 50
   */
  readonly failureRateThreshold?: number;
  /**
   * Calls an environment must see in `slidingWindow` before the failure and slow-call rates count.
   * @default 10
   */
  readonly minimumCalls?: number;
  /**
   * The time window of the failure and slow-call rates.
   * @default Duration.seconds(10)
   */
  readonly slidingWindow?: Duration;
  /**
   * Consecutive failures in one environment that open the circuit; 0 turns the rule off.
   * @default 5
   */
  readonly consecutiveFailureThreshold?: number;
  /**
   * Failures across all environments within `fleetWindow` that open the circuit (counted
   * atomically in the state table); 0 turns the rule off.
   * @default 20
   */
  readonly fleetFailureThreshold?: number;
  /**
   * The time window of `fleetFailureThreshold`.
   * @default Duration.seconds(10)
   */
  readonly fleetWindow?: Duration;
  /**
   * A call that takes at least this long counts as slow.
   * @default - equal to callTimeout (only timeouts are slow)
   */
  readonly slowCallDuration?: Duration;
  /**
   * Slow-call rate, in percent, at which the circuit opens.
   * @default 100
   */
  readonly slowCallRateThreshold?: number;
}

/** How an open circuit of a {@link CircuitBreakerFunction} probes the target and closes again. */
export interface CircuitRecoveryOptions {
  /**
   * How long the circuit stays open before probes are allowed.
   * @default Duration.seconds(30)
   */
  readonly openDuration?: Duration;
  /**
   * Upper bound of the open duration, which doubles on every consecutive re-open.
   * @default - the larger of 5 minutes and openDuration
   */
  readonly maxOpenDuration?: Duration;
  /**
   * Probe calls admitted across all environments while half-open, per lease.
   * @default 3
   */
  readonly halfOpenPermits?: number;
  /**
   * Successful probes that close the circuit (at most halfOpenPermits).
   * @default - the smaller of 3 and halfOpenPermits
   */
  readonly halfOpenSuccessThreshold?: number;
  /**
   * How long probe permits are held; when a prober dies, another environment may probe after this.
   * @default - the larger of 2 x callTimeout and 10 seconds
   */
  readonly probeLease?: Duration;
}

/** How each environment of a {@link CircuitBreakerFunction} caches the shared circuit state. */
export interface CircuitStateCacheOptions {
  /**
   * How often an environment refreshes its state snapshot, in the background of a call.
   * @default Duration.seconds(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * A snapshot older than this is refreshed before the call (bounded by the store timeout).
   * @default Duration.seconds(5)
   */
  readonly maxStaleness?: Duration;
}

/** Properties of a {@link CircuitBreakerFunction}. */
export interface CircuitBreakerFunctionProps extends ObservabilityProps, LifecycleProps {
  /** What the function calls through the circuit. */
  readonly target: CircuitTarget;
  /**
   * What callers get instead of the target while the circuit refuses calls, on a timeout
   * and (with `fallbackOnFailure`) on a failure.
   * @default - no fallback: API Gateway callers get 503 (open) or 504 (timeout), other callers get the error `CIRCUIT_OPEN` / `CIRCUIT_CALL_TIMEOUT`
   */
  readonly fallback?: Fallback;
  /**
   * Whether the fallback also answers when a call fails or times out (not only when the circuit refuses it).
   * @default true
   */
  readonly fallbackOnFailure?: boolean;
  /**
   * Name of the circuit: its key in the state table (`cb#<name>`) and the `Circuit` metric
   * dimension. Letters, digits and `_ . : / -`, at most 100 characters.
   * @default - derived from the construct path
   */
  readonly circuitName?: string;
  /**
   * An existing table (partition key `pk` of type String, TTL attribute `ttl`) shared by
   * many breakers: each circuit owns only its own items. `encryptionKey` encrypts only a
   * table the construct creates (and the function's log group either way).
   * @default - a new table
   */
  readonly stateTable?: dynamodb.ITable;
  /**
   * How long one call of the target may take; it is aborted after that and counts as a failure.
   * Must be at least one second shorter than `timeout`.
   * @default Duration.seconds(5)
   */
  readonly callTimeout?: Duration;
  /**
   * When the circuit opens.
   * @default - the default of each of its settings
   */
  readonly tripRules?: CircuitTripRules;
  /**
   * How an open circuit probes the target and closes again.
   * @default - the default of each of its settings
   */
  readonly recovery?: CircuitRecoveryOptions;
  /**
   * How each environment caches the shared state.
   * @default - the default of each of its settings
   */
  readonly stateCache?: CircuitStateCacheOptions;
  /**
   * Memory of the breaker function, in MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of the breaker function.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Run the breaker in this VPC, to reach private targets. The subnets need a route to
   * DynamoDB (gateway endpoint or NAT) and, for Lambda targets, to Lambda.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of the breaker function (requires `vpc`).
   * @default - private subnets with egress, else isolated
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the breaker function (requires `vpc`).
   * @default - a new security group with all outbound traffic allowed
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}
