import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CircuitTarget } from './circuit-target';
import { Fallback } from './fallback';
import { ConstructAlarms } from '../core/alarms';
import { withoutSnapshot } from '../core/defaults';
import { HandlerFunction } from '../core/handler-function';
import { PropsValidator } from '../core/validation';

/** Settings of a {@link CircuitBreakerFunction}. */
export interface CircuitBreakerFunctionProps {
  /** What the function calls through the circuit. */
  readonly target: CircuitTarget;
  /**
   * What callers get instead of the target while the circuit refuses calls, on a timeout
   * and (with `fallbackOnFailure`) on a failure.
   * @default - no fallback: API Gateway callers get 503 (open) or 504 (timeout), other callers get the error `CIRCUIT_OPEN` / `CIRCUIT_CALL_TIMEOUT`
   */
  readonly fallback?: Fallback;
  /**
   * Name of the circuit: its key in the state table (`cb#<name>`) and the `Circuit` metric
   * dimension. Letters, digits and `_ . : / -`, at most 100 characters.
   * @default - derived from the construct path
   */
  readonly circuitName?: string;
  /**
   * An existing table (partition key `pk` of type String, TTL attribute `ttl`) shared by
   * many breakers: each circuit owns only its own items.
   * @default - a new table
   */
  readonly stateTable?: dynamodb.ITable;
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
  /**
   * How long one call of the target may take; it is aborted after that and counts as a failure.
   * Must be at least one second shorter than `timeout`.
   * @default Duration.seconds(5)
   */
  readonly callTimeout?: Duration;
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
  /**
   * How often an environment refreshes its state snapshot, in the background of a call.
   * @default Duration.seconds(1)
   */
  readonly stateRefreshInterval?: Duration;
  /**
   * A snapshot older than this is refreshed before the call (bounded by the store timeout).
   * @default Duration.seconds(5)
   */
  readonly maxStaleness?: Duration;
  /**
   * Whether the fallback also answers when a call fails or times out (not only when the circuit refuses it).
   * @default true
   */
  readonly fallbackOnFailure?: boolean;
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
  /**
   * The alarms notify this topic (on ALARM and OK).
   * @default - no notification; see addAlarmAction
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Removal policy of the state table and the log group this construct creates.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Retention of the function's logs.
   * @default DEFAULT_LOG_RETENTION (one month)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Customer managed key of the state table this construct creates.
   * @default - encrypted with an AWS owned key managed by DynamoDB
   */
  readonly encryptionKey?: kms.IKey;
}

/** The CloudWatch namespace and service dimension the handler's Powertools Metrics write. */
const METRICS_NAMESPACE = 'CdkServiceIntegration';
const METRICS_SERVICE = 'circuit-breaker';
const NAME_PATTERN = /^[A-Za-z0-9_.:/-]{1,100}$/;
const SAFETY_MARGIN = Duration.seconds(1);

/**
 * A Lambda function that calls a target (HTTP endpoint or Lambda function) through a
 * circuit breaker whose state every execution environment shares in DynamoDB: closed,
 * open and half-open with leased probe permits, local failure-rate and consecutive-failure
 * rules plus an atomic fleet failure counter, a per-call timeout, and a static or Lambda
 * fallback. The healthy closed path costs no awaited DynamoDB request.
 */
export class CircuitBreakerFunction extends Construct {
  /** The breaker function: invoke it instead of the target. */
  public readonly function: lambda.Function;
  /** Execution role of the breaker function. */
  public readonly role: iam.IRole;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The table holding the circuit state (created, or the one passed in). */
  public readonly stateTable: dynamodb.ITable;
  /** The circuit's name (its state item is `pk = cb#<circuitName>`). */
  public readonly circuitName: string;
  /** In ALARM while the circuit is OPEN or FORCED_OPEN in any environment. */
  public readonly openAlarm: cloudwatch.Alarm;
  /** In ALARM when the fallback itself failed (callers got CIRCUIT_FALLBACK_FAILED). */
  public readonly fallbackFailureAlarm: cloudwatch.Alarm;
  /** In ALARM when the state table was repeatedly unreachable (environments act on stale state). */
  public readonly stateStoreErrorAlarm: cloudwatch.Alarm;

  private readonly alarmSet: ConstructAlarms;

  constructor(scope: Construct, id: string, props: CircuitBreakerFunctionProps) {
    super(scope, id);

    const callTimeout = props.callTimeout ?? Duration.seconds(5);
    const timeout = props.timeout ?? Duration.seconds(10);
    const openDuration = props.openDuration ?? Duration.seconds(30);
    const halfOpenPermits = props.halfOpenPermits ?? 3;
    const stateRefresh = props.stateRefreshInterval ?? Duration.seconds(1);
    this.circuitName = props.circuitName ?? defaultCircuitName(this);
    this.validate(props, { callTimeout, timeout, openDuration, halfOpenPermits, stateRefresh });

    const ms = (d: Duration | undefined) => d?.toMilliseconds();
    const settings = {
      name: this.circuitName,
      failureRateThreshold: props.failureRateThreshold,
      minimumCalls: props.minimumCalls,
      windowMs: ms(props.slidingWindow),
      consecutiveFailureThreshold: props.consecutiveFailureThreshold,
      fleetFailureThreshold: props.fleetFailureThreshold,
      fleetWindowMs: ms(props.fleetWindow),
      slowCallDurationMs: ms(props.slowCallDuration),
      slowCallRateThreshold: props.slowCallRateThreshold,
      callTimeoutMs: callTimeout.toMilliseconds(),
      openDurationMs: openDuration.toMilliseconds(),
      maxOpenDurationMs: ms(props.maxOpenDuration),
      halfOpenPermits,
      halfOpenSuccessThreshold: props.halfOpenSuccessThreshold,
      probeLeaseMs: ms(props.probeLease),
      stateRefreshMs: stateRefresh.toMilliseconds(),
      maxStaleMs: ms(props.maxStaleness),
      fallbackOnFailure: props.fallbackOnFailure,
    };

    this.stateTable = props.stateTable ?? new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: props.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      removalPolicy: withoutSnapshot(props.removalPolicy),
    });

    const handler = new HandlerFunction(this, 'Handler', {
      handlerName: 'circuit-breaker',
      description: `Calls ${props.target.kind === 'http' ? 'an HTTP endpoint' : 'a Lambda function'} through circuit ${this.circuitName}`,
      memorySize: props.memorySize ?? 256,
      timeout,
      environment: {
        CIRCUIT_BREAKER_SETTINGS: Stack.of(this).toJsonString({
          ...withoutUndefined(settings),
          tableName: this.stateTable.tableName,
          target: targetSettings(props.target),
          ...(props.fallback ? { fallback: fallbackSettings(props.fallback) } : {}),
        }),
      },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      nagAcknowledgements: [{
        id: 'Serverless-LambdaDLQ',
        reason: 'The breaker is invoked synchronously (API Gateway, function URL or RequestResponse): the caller receives the answer, ' +
          'the fallback or the error, so there is no asynchronous event a dead-letter queue could keep.',
      }],
    });
    this.function = handler.function;
    this.role = handler.role;
    this.logGroup = handler.logGroup;
    this.grantStateAccess(handler.role, props);

    this.alarmSet = new ConstructAlarms(props.alarmTopic);
    this.openAlarm = this.alarmSet.create(this, 'OpenAlarm', {
      metric: this.metricCircuitState(),
      threshold: 2,
      description: `Circuit ${this.circuitName} is OPEN: callers get the fallback. Check the health of the target.`,
    });
    this.fallbackFailureAlarm = this.alarmSet.create(this, 'FallbackFailureAlarm', {
      metric: this.metric('FallbackFailures', { statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      description: `The fallback of circuit ${this.circuitName} failed: callers received errors. Check the fallback function.`,
    });
    this.stateStoreErrorAlarm = this.alarmSet.create(this, 'StateStoreErrorAlarm', {
      metric: this.metric('StateStoreErrors', { statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 10,
      description: `Circuit ${this.circuitName} could not reach its state table: environments act on their last known state. ` +
        'Check DynamoDB throttling, the network path (VPC endpoint / NAT) and IAM.',
    });
  }

  /** Every alarm of this construct. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** Notify these actions on ALARM and OK of every alarm of this construct. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmSet.addAlarmAction(...actions);
  }

  /**
   * The circuit state seen by the environments: 0 CLOSED, 1 HALF_OPEN, 2 OPEN,
   * 3 FORCED_OPEN, 4 DISABLED. Default statistic Maximum over 1 minute.
   */
  public metricCircuitState(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CircuitState', { statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /**
   * A metric the breaker publishes (EMF, namespace `CdkServiceIntegration`, dimensions
   * `service` and `Circuit`): Calls, Successes, Failures, Timeouts, SlowCalls, Rejected,
   * FallbackInvocations, FallbackFailures, CallLatency, CircuitState, StateTransitions,
   * StateStoreReads, StateStoreWrites, StateStoreErrors, StateStoreLatency.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: METRICS_SERVICE, Circuit: this.circuitName },
      statistic: 'Sum',
      ...props,
    });
  }

  private validate(
    props: CircuitBreakerFunctionProps,
    d: { callTimeout: Duration; timeout: Duration; openDuration: Duration; halfOpenPermits: number; stateRefresh: Duration },
  ): void {
    const v = new PropsValidator(this, 'CircuitBreakerFunction');
    v.matches('circuitName', this.circuitName, NAME_PATTERN, 'letters, digits and _ . : / - (1 to 100 characters)');
    v.inRange('failureRateThreshold', props.failureRateThreshold, 1, 100);
    v.integerInRange('minimumCalls', props.minimumCalls, 1, 100_000);
    v.durationInRange('slidingWindow', props.slidingWindow, Duration.seconds(1), Duration.hours(1));
    v.integerInRange('consecutiveFailureThreshold', props.consecutiveFailureThreshold, 0, 100_000);
    v.integerInRange('fleetFailureThreshold', props.fleetFailureThreshold, 0, 1_000_000_000);
    v.durationInRange('fleetWindow', props.fleetWindow, Duration.seconds(1), Duration.hours(1));
    v.inRange('slowCallRateThreshold', props.slowCallRateThreshold, 1, 100);
    v.durationInRange('timeout', d.timeout, Duration.seconds(2), Duration.minutes(15));
    v.durationInRange('callTimeout', d.callTimeout, Duration.millis(10), Duration.minutes(15));
    if (!d.callTimeout.isUnresolved() && !d.timeout.isUnresolved() &&
      d.callTimeout.toMilliseconds() > d.timeout.toMilliseconds() - SAFETY_MARGIN.toMilliseconds()) {
      v.fail('callTimeout', `must be at least 1 second shorter than timeout (${d.timeout.toHumanString()}) to leave time for the fallback`, d.callTimeout);
    }
    v.durationInRange('slowCallDuration', props.slowCallDuration, Duration.millis(1), d.callTimeout);
    v.durationInRange('openDuration', d.openDuration, Duration.seconds(1), Duration.hours(1));
    v.durationInRange('maxOpenDuration', props.maxOpenDuration, d.openDuration, Duration.hours(24));
    v.integerInRange('halfOpenPermits', d.halfOpenPermits, 1, 100);
    v.integerInRange('halfOpenSuccessThreshold', props.halfOpenSuccessThreshold, 1, Token.isUnresolved(d.halfOpenPermits) ? 100 : d.halfOpenPermits);
    v.durationInRange('probeLease', props.probeLease, Duration.seconds(1), Duration.hours(1));
    if (props.probeLease && !props.probeLease.isUnresolved() && props.probeLease.toMilliseconds() < d.callTimeout.toMilliseconds()) {
      v.fail('probeLease', `must be at least callTimeout (${d.callTimeout.toHumanString()}): a probe must be able to finish within its lease`, props.probeLease);
    }
    v.durationInRange('stateRefreshInterval', d.stateRefresh, Duration.millis(0), Duration.minutes(1));
    v.durationInRange('maxStaleness', props.maxStaleness, d.stateRefresh, Duration.hours(1));
    v.integerInRange('memorySize', props.memorySize, 128, 10_240);
    v.check(!(props.vpcSubnets && !props.vpc), 'vpcSubnets', 'requires vpc', 'subnets without a vpc');
    v.check(!(props.securityGroups && !props.vpc), 'securityGroups', 'requires vpc', 'security groups without a vpc');
    v.check(!(props.encryptionKey && props.stateTable), 'encryptionKey', 'applies only to a table this construct creates, not to stateTable',
      'a key with an existing table');
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
  }

  /** GetItem and UpdateItem on this circuit's own items only (dynamodb:LeadingKeys), plus the table key when there is one. */
  private grantStateAccess(role: iam.Role, props: CircuitBreakerFunctionProps): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resources: [this.stateTable.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`cb#${this.circuitName}`, `cb#${this.circuitName}#w#*`] },
      },
    }));
    if (this.stateTable.encryptionKey) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.stateTable.encryptionKey.keyArn],
      }));
    }
    const invocable = [props.target.targetFunction, props.fallback?.fallbackFunction].filter((f): f is lambda.IFunction => f !== undefined);
    if (invocable.length > 0) {
      // Exactly these function ARNs: grantInvoke would also allow every version and alias (`arn:*`).
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: invocable.map((f) => f.functionArn),
      }));
    }
  }
}

function defaultCircuitName(scope: Construct): string {
  const fromPath = scope.node.path.replace(/[^A-Za-z0-9_.:/-]/g, '-');
  return fromPath.length <= 100 ? fromPath : Names.uniqueId(scope).slice(-100);
}

function targetSettings(target: CircuitTarget): Record<string, unknown> {
  if (target.kind === 'lambda' && target.targetFunction) return { type: 'lambda', functionName: target.targetFunction.functionArn };
  return { type: 'http', url: target.url };
}

function fallbackSettings(fallback: Fallback): Record<string, unknown> {
  if (fallback.kind === 'lambda' && fallback.fallbackFunction) return { type: 'lambda', functionName: fallback.fallbackFunction.functionArn };
  const response = fallback.response!;
  return { type: 'static', statusCode: response.statusCode, body: response.body, headers: response.headers ?? {} };
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
