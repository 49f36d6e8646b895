import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AuthorizedApi, CircuitBreakerFunction, IAlarmed } from '../../src';
import { createNotifyingAlarm } from '../function-errors-alarm';

/** What the café's monitoring watches. */
export interface CafeMonitoringProps {
  readonly alarmTopic: sns.ITopic;
  readonly api: AuthorizedApi;
  readonly orderWorkflow: sfn.StateMachine;
  readonly statusWorkflow: sfn.StateMachine;
  readonly paymentBreaker: CircuitBreakerFunction;
  /** The functions on the order path, at most 10 (one metric-math expression sums their throttles). */
  readonly hotPathFunctions: lambda.IFunction[];
  /** Queues where failures end up: each alarms on its first message. */
  readonly failureQueues: Record<string, sqs.IQueue>;
  /** Constructs of the library whose own alarms the dashboard shows. */
  readonly alarmedParts: IAlarmed[];
}

/** The alarms the lab adds to those of the library's constructs, and one dashboard for the whole café. */
export class CafeMonitoring extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CafeMonitoringProps) {
    super(scope, id);
    const alarm = (alarmId: string, options: cloudwatch.AlarmProps) => {
      const created = createNotifyingAlarm(this, alarmId, props.alarmTopic, options);
      this.alarms.push(created);
      return created;
    };

    for (const [name, queue] of Object.entries(props.failureQueues)) {
      alarm(`${name}Alarm`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `${name}: a failure was parked in this queue. Read the message (it names the event and the error), fix the cause, then re-send it.`,
      });
    }
    if (props.hotPathFunctions.length > 10) throw new Error(`hotPathFunctions: at most 10 functions fit one alarm expression, got ${props.hotPathFunctions.length}`);
    const throttles = new cloudwatch.MathExpression({
      expression: props.hotPathFunctions.map((_, i) => `t${i}`).join(' + '),
      usingMetrics: Object.fromEntries(props.hotPathFunctions.map((fn, i) => [`t${i}`, fn.metricThrottles({ statistic: 'Sum' })])),
      period: Duration.minutes(5),
      label: 'Throttles on the order path',
    });
    alarm('ThrottlesAlarm', {
      metric: throttles,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'A function on the order path was throttled: the account or a reserved concurrency limit is reached.',
    });
    const statusFailures = props.statusWorkflow.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' });
    alarm('StatusLookupFailuresAlarm', {
      metric: statusFailures,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'An order-status lookup (EXPRESS workflow) failed: customers got 500s. Its execution log has the failing step.',
    });
    const statusP99 = props.statusWorkflow.metricTime({ period: Duration.minutes(5), statistic: 'p99' });
    alarm('StatusLookupLatencyAlarm', {
      metric: statusP99,
      threshold: 1000,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: 'The p99 of order-status lookups was above 1 s for 15 minutes: check the reader function\'s duration and cold starts.',
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const workflow = props.orderWorkflow;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Order workflow (STANDARD): started, succeeded, failed',
        left: [workflow.metricStarted(), workflow.metricSucceeded(), workflow.metricFailed()].map((m) => m.with({ statistic: 'Sum', period: Duration.minutes(5) })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Order status lookups (EXPRESS): count and p99 ms',
        left: [props.statusWorkflow.metricStarted({ statistic: 'Sum', period: Duration.minutes(5) })],
        right: [statusP99],
      }),
      new cloudwatch.GraphWidget({
        title: 'Payment circuit (0 closed, 1 half-open, 2 open)',
        left: [props.paymentBreaker.metricCircuitState()],
        leftYAxis: { min: 0, max: 4 },
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API: requests, 5XX and p99 latency',
        left: [props.api.restApi.metricCount({ period: Duration.minutes(5) }), props.api.restApi.metricServerError({ period: Duration.minutes(5) })],
        right: [props.api.restApi.metricLatency({ statistic: 'p99', period: Duration.minutes(5) })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Failure queues (messages visible)',
        left: Object.entries(props.failureQueues).map(([name, queue]) => queue.metricApproximateNumberOfMessagesVisible({ label: name })),
      }),
      new cloudwatch.GraphWidget({ title: 'Throttles on the order path', left: [throttles] }),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      alarms: [...this.alarms, ...props.alarmedParts.flatMap((part) => part.alarms)],
      width: 24,
    }));
  }
}
