import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { AlarmTopic, HandlerFunction } from '../../src';
import { bundledCode } from '../bundled-code';

/**
 * The smallest deployable stack built from the library's foundation: one pre-bundled
 * handler with the shared function defaults and an error alarm that notifies an alarm
 * topic. It proves the pipeline (bundling, synthesis, cdk-nag, template validation, integ
 * snapshots).
 */
export class SmokeStack extends Stack {
  public readonly echoFunction: lambda.IFunction;
  public readonly errorAlarm: cloudwatch.IAlarm;
  public readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-service-integration pipeline smoke test: one bundled handler', ...props });

    // The alarm topic's key also encrypts the function's log group: one key for the stack.
    const alarms = new AlarmTopic(this, 'AlarmTopic', { displayName: 'Pipeline smoke alarms', removalPolicy: RemovalPolicy.DESTROY });
    this.alarmTopic = alarms.topic;

    const echo = new HandlerFunction(this, 'Echo', {
      code: bundledCode('echo'),
      codeName: 'echo',
      description: 'Echoes its event; proves the bundled-handler pipeline',
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: alarms.encryptionKey,
    });
    NagSuppressions.addResourceSuppressions(echo.function, [{
      id: 'Serverless-LambdaDLQ',
      reason: 'The echo function is only invoked synchronously (RequestResponse), so errors return to the caller and there is nothing to dead-letter.',
    }, {
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'The echo function is only invoked synchronously (RequestResponse), so there are no asynchronous failures to route.',
    }]);
    this.echoFunction = echo.function;

    const errorAlarm = echo.function.metricErrors().createAlarm(this, 'EchoErrors', {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The echo function returned an error: its bundle or runtime is broken. Check its log group.',
    });
    const notify = new cloudwatchActions.SnsAction(this.alarmTopic);
    errorAlarm.addAlarmAction(notify);
    errorAlarm.addOkAction(notify);
    this.errorAlarm = errorAlarm;
  }
}
