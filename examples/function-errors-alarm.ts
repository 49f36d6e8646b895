import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * A lab alarm that notifies the lab's topic on ALARM and on OK; missing data (an idle lab)
 * is not breaching unless `props` says otherwise.
 */
export function createNotifyingAlarm(scope: Construct, id: string, topic: sns.ITopic, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
  const action = new cloudwatchActions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/**
 * A lab function's alarm: five or more failed invocations in 5 minutes (timeouts and
 * crashes; answers such as 4xx are not failures), notifying the lab's topic on ALARM and OK.
 */
export function createFunctionErrorsAlarm(scope: Construct, id: string, fn: lambda.IFunction, topic: sns.ITopic,
  alarmDescription: string): cloudwatch.Alarm {
  return createNotifyingAlarm(scope, id, topic, {
    metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 5,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    alarmDescription,
  });
}
