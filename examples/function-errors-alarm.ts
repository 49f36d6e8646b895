import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * A lab function's alarm: five or more failed invocations in 5 minutes (timeouts and
 * crashes; answers such as 4xx are not failures), notifying the lab's topic on ALARM and OK.
 */
export function createFunctionErrorsAlarm(scope: Construct, id: string, fn: lambda.IFunction, topic: sns.ITopic,
  alarmDescription: string): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 5,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription,
  });
  const action = new cloudwatchActions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
