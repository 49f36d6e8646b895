import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { HandlerFunction } from '../../src';
import { bundledCode } from '../bundled-code';

/**
 * The smallest deployable stack built from the library's foundation: one pre-bundled
 * handler with the shared function defaults and an error alarm. It proves the pipeline
 * (bundling, synthesis, cdk-nag, template validation, integ snapshots).
 */
export class SmokeStack extends Stack {
  public readonly echoFunction: lambda.IFunction;
  public readonly errorAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-service-integration pipeline smoke test: one bundled handler', ...props });

    const echo = new HandlerFunction(this, 'Echo', {
      code: bundledCode('echo'),
      codeName: 'echo',
      description: 'Echoes its event; proves the bundled-handler pipeline',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(echo.function, [{
      id: 'Serverless-LambdaDLQ',
      reason: 'The echo function is only invoked synchronously (RequestResponse), so errors return to the caller and there is nothing to dead-letter.',
    }, {
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'The echo function is only invoked synchronously (RequestResponse), so there are no asynchronous failures to route.',
    }]);
    this.echoFunction = echo.function;

    this.errorAlarm = echo.function.metricErrors().createAlarm(this, 'EchoErrors', {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The echo function returned an error: its bundle or runtime is broken. Check its log group.',
    });
  }
}
