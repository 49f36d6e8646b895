import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ConstructAlarms } from '../../src/core/alarms';
import { HandlerFunction } from '../../src/core/handler-function';

/**
 * The smallest deployable stack built from the library's foundation: one pre-bundled
 * handler with the shared function defaults and an error alarm. It proves the pipeline
 * (bundling, synthesis, cdk-nag, template validation, integ snapshots) until the lab
 * stacks exist.
 */
export class SmokeStack extends Stack {
  public readonly echoFunction: lambda.IFunction;
  public readonly errorAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-service-integration pipeline smoke test: one bundled handler', ...props });

    const echo = new HandlerFunction(this, 'Echo', {
      handlerName: 'echo',
      description: 'Echoes its event; proves the bundled-handler pipeline',
      removalPolicy: RemovalPolicy.DESTROY,
      nagAcknowledgements: [{
        id: 'Serverless-LambdaDLQ',
        reason: 'The echo function is only invoked synchronously (RequestResponse), so errors return to the caller and there is nothing to dead-letter.',
      }, {
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason: 'The echo function is only invoked synchronously (RequestResponse), so there are no asynchronous failures to route.',
      }],
    });
    this.echoFunction = echo.function;

    const alarms = new ConstructAlarms();
    this.errorAlarm = alarms.create(this, 'EchoErrors', {
      metric: echo.function.metricErrors(),
      threshold: 1,
      description: 'The echo function returned an error: its bundle or runtime is broken. Check its log group.',
    });
  }
}
