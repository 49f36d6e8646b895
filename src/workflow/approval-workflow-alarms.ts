import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ConstructAlarms } from '../core/alarms';

/** What the alarms of an ApprovalWorkflow watch. */
export interface ApprovalWorkflowAlarmSources {
  readonly workflowName: string;
  readonly stateMachine: sfn.StateMachine;
  /** The execution log (level ALL): expiries are counted from its `Expired` state entries. */
  readonly executionLog: logs.ILogGroup;
  readonly callbackFunction: lambda.IFunction;
  readonly deliveryDeadLetterQueue?: sqs.IQueue;
}

/** The alarms of an ApprovalWorkflow, by what they watch. */
export interface ApprovalWorkflowAlarms {
  readonly failedAlarm: cloudwatch.Alarm;
  readonly timedOutAlarm: cloudwatch.Alarm;
  readonly expiredAlarm: cloudwatch.Alarm;
  readonly deliveryFailureAlarm?: cloudwatch.Alarm;
  readonly callbackErrorAlarm: cloudwatch.Alarm;
}

/** Alarms on failed, timed-out and expired executions, undeliverable emails and callback errors. */
export function createApprovalWorkflowAlarms(scope: Construct, alarms: ConstructAlarms, o: ApprovalWorkflowAlarmSources): ApprovalWorkflowAlarms {
  const period = Duration.minutes(5);
  const failedAlarm = alarms.create(scope, 'FailedAlarm', {
    metric: o.stateMachine.metricFailed({ period, statistic: 'Sum' }),
    threshold: 1,
    description: `An execution of ${o.workflowName} failed (rejected, expired or a failed step); compensation ran. Check the execution history.`,
  });
  const timedOutAlarm = alarms.create(scope, 'TimedOutAlarm', {
    metric: o.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
    threshold: 1,
    description: `An execution of ${o.workflowName} hit its execution timeout. Check the execution history.`,
  });
  const expiredMetric = new logs.MetricFilter(scope, 'ExpiredFilter', {
    logGroup: o.executionLog,
    filterPattern: logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.type', '=', 'PassStateEntered'),
      logs.FilterPattern.stringValue('$.details.name', '=', 'Expired'),
    ),
    metricNamespace: 'CdkServiceIntegration/ApprovalWorkflow',
    metricName: `ApprovalsExpired-${Names.uniqueResourceName(scope, { maxLength: 120, separator: '-' })}`,
    metricValue: '1',
    defaultValue: 0,
  }).metric({ period, statistic: 'Sum' });
  const expiredAlarm = alarms.create(scope, 'ExpiredAlarm', {
    metric: expiredMetric,
    threshold: 1,
    description: `An approval request of ${o.workflowName} expired without a decision: nobody acted within the approval timeout.`,
  });
  const deliveryFailureAlarm = o.deliveryDeadLetterQueue ? alarms.create(scope, 'DeliveryFailureAlarm', {
    metric: o.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    threshold: 1,
    description: `An approval email of ${o.workflowName} could not be delivered (see the delivery dead-letter queue); the request will expire unless someone acts.`,
  }) : undefined;
  const callbackErrorAlarm = alarms.create(scope, 'CallbackErrorAlarm', {
    metric: o.callbackFunction.metricErrors({ period, statistic: 'Sum' }),
    threshold: 1,
    description: `The approval callback of ${o.workflowName} failed; approvers may see errors. Check its log group.`,
  });
  return { failedAlarm, timedOutAlarm, expiredAlarm, deliveryFailureAlarm, callbackErrorAlarm };
}
