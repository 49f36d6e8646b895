import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createCircuitBreakerAlarms } from './circuit-breaker-function-alarms';
import { CircuitBreakerFunctionProps } from './circuit-breaker-function-props';
import { validateCircuitBreakerProps } from './circuit-breaker-function-validation';
import { CIRCUIT_BREAKER_SETTINGS_VARIABLE, CircuitBreakerSettingsDocument, FallbackSettings, TargetSettings } from './circuit-breaker-settings';
import { CircuitTarget } from './circuit-target';
import { Fallback } from './fallback';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { createEncryptionKey, withoutSnapshot } from '../core/defaults';
import { libraryHandler } from '../core/library-handler';

/** The CloudWatch namespace and service dimension the handler's Powertools Metrics write. */
const METRICS_NAMESPACE = 'CdkServiceIntegration';
const METRICS_SERVICE = 'circuit-breaker';

/**
 * A Lambda function that calls a target (HTTP endpoint or Lambda function) through a
 * circuit breaker whose state every execution environment shares in DynamoDB: closed,
 * open and half-open with leased probe permits, local failure-rate and consecutive-failure
 * rules plus an atomic fleet failure counter, a per-call timeout, and a static or Lambda
 * fallback. The healthy closed path costs no awaited DynamoDB request.
 */
export class CircuitBreakerFunction extends AlarmedConstruct {
  /** The breaker function: invoke it instead of the target. */
  public readonly function: lambda.Function;
  /** Execution role of the breaker function. */
  public readonly role: iam.IRole;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The key encrypting the function's log group (and a state table the construct creates, when given as `encryptionKey`). */
  public readonly encryptionKey: kms.IKey;
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

  constructor(scope: Construct, id: string, props: CircuitBreakerFunctionProps) {
    super(scope, id, props.alarmTopic);
    const d = validateCircuitBreakerProps(this, props);
    this.circuitName = d.circuitName;

    this.stateTable = props.stateTable ?? new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: props.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      removalPolicy: withoutSnapshot(props.removalPolicy),
    });

    // A key the construct creates encrypts the log group only: the state table keeps the
    // encryption it had (DynamoDB's own) unless the caller passes a key for both.
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'LogKey', {
      description: `Encrypts the log group of the circuit breaker ${this.node.path}`,
      removalPolicy: props.removalPolicy,
    });

    const ms = (duration: Duration | undefined) => duration?.toMilliseconds();
    const { tripRules: trip = {}, recovery = {}, stateCache = {} } = props;
    const settings: CircuitBreakerSettingsDocument = {
      name: this.circuitName,
      failureRateThreshold: trip.failureRateThreshold,
      minimumCalls: trip.minimumCalls,
      windowMs: ms(trip.slidingWindow),
      consecutiveFailureThreshold: trip.consecutiveFailureThreshold,
      fleetFailureThreshold: trip.fleetFailureThreshold,
      fleetWindowMs: ms(trip.fleetWindow),
      slowCallDurationMs: ms(trip.slowCallDuration),
      slowCallRateThreshold: trip.slowCallRateThreshold,
      callTimeoutMs: d.callTimeout.toMilliseconds(),
      openDurationMs: d.openDuration.toMilliseconds(),
      maxOpenDurationMs: ms(recovery.maxOpenDuration),
      halfOpenPermits: d.halfOpenPermits,
      halfOpenSuccessThreshold: recovery.halfOpenSuccessThreshold,
      probeLeaseMs: ms(recovery.probeLease),
      stateRefreshMs: d.stateRefresh.toMilliseconds(),
      maxStaleMs: ms(stateCache.maxStaleness),
      fallbackOnFailure: props.fallbackOnFailure,
      tableName: this.stateTable.tableName,
      target: targetSettings(props.target),
      fallback: props.fallback ? fallbackSettings(props.fallback) : undefined,
    };
    const handler = libraryHandler(this, 'Handler', {
      handlerName: 'circuit-breaker',
      description: `Calls ${props.target.kind === 'http' ? 'an HTTP endpoint' : 'a Lambda function'} through circuit ${this.circuitName}`,
      memorySize: props.memorySize ?? 256,
      timeout: d.timeout,
      environment: { [CIRCUIT_BREAKER_SETTINGS_VARIABLE]: Stack.of(this).toJsonString(withoutUndefined(settings)) },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: this.encryptionKey,
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

    const alarms = createCircuitBreakerAlarms(this, this._alarmSet, this);
    this.openAlarm = alarms.openAlarm;
    this.fallbackFailureAlarm = alarms.fallbackFailureAlarm;
    this.stateStoreErrorAlarm = alarms.stateStoreErrorAlarm;
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

function targetSettings(target: CircuitTarget): TargetSettings {
  if (target.kind === 'lambda' && target.targetFunction) return { type: 'lambda', functionName: target.targetFunction.functionArn };
  return { type: 'http', url: target.url! };
}

function fallbackSettings(fallback: Fallback): FallbackSettings {
  if (fallback.kind === 'lambda' && fallback.fallbackFunction) return { type: 'lambda', functionName: fallback.fallbackFunction.functionArn };
  const response = fallback.response!;
  return { type: 'static', statusCode: response.statusCode, body: response.body, headers: response.headers ?? {} };
}

function withoutUndefined(values: object): object {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
