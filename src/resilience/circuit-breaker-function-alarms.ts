import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ConstructAlarms } from '../core/alarms';

/** The alarms of a CircuitBreakerFunction, by what they watch. */
export interface CircuitBreakerAlarms {
  readonly openAlarm: cloudwatch.Alarm;
  readonly fallbackFailureAlarm: cloudwatch.Alarm;
  readonly stateStoreErrorAlarm: cloudwatch.Alarm;
}

/** Where the alarms read the breaker's metrics. */
export interface BreakerMetrics {
  readonly circuitName: string;
  metricCircuitState(): cloudwatch.IMetric;
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** Alarms on an open circuit, a failing fallback and an unreachable state table. */
export function createCircuitBreakerAlarms(scope: Construct, alarms: ConstructAlarms, breaker: BreakerMetrics): CircuitBreakerAlarms {
  const name = breaker.circuitName;
  return {
    openAlarm: alarms.create(scope, 'OpenAlarm', {
      metric: breaker.metricCircuitState(),
      threshold: 2,
      description: `Circuit ${name} is OPEN: callers get the fallback. Check the health of the target.`,
    }),
    fallbackFailureAlarm: alarms.create(scope, 'FallbackFailureAlarm', {
      metric: breaker.metric('FallbackFailures', { statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      description: `The fallback of circuit ${name} failed: callers received errors. Check the fallback function.`,
    }),
    stateStoreErrorAlarm: alarms.create(scope, 'StateStoreErrorAlarm', {
      metric: breaker.metric('StateStoreErrors', { statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 10,
      description: `Circuit ${name} could not reach its state table: environments act on their last known state. ` +
        'Check DynamoDB throttling, the network path (VPC endpoint / NAT) and IAM.',
    }),
  };
}
