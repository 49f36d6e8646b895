import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { HandlerFunction } from '../../src';
import { bundledCode } from '../bundled-code';

export interface IotFunctionOptions {
  /** The handler's folder below lambda-src/examples/iot-platform/. */
  readonly bundle: string;
  readonly description: string;
  /** The lab key, for the function's log group. */
  readonly encryptionKey: kms.IKey;
  /** Settings documents by environment variable; values are rendered as JSON (tokens resolved at deploy). */
  readonly settings: Record<string, object>;
  /**
   * Why the function needs no dead-letter queue or failure destination (how it is invoked
   * and where its failures go), for the two Serverless findings.
   */
  readonly reasons: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

/**
 * One of the platform's handlers as the library's HandlerFunction: bundled code from
 * assets/examples/iot-platform/<bundle>, its own least-privilege role, a log group under the
 * lab key kept a month, active tracing, and its settings as JSON environment variables.
 */
export function iotFunction(scope: Construct, id: string, options: IotFunctionOptions): lambda.Function {
  const stack = Stack.of(scope);
  const environment = Object.fromEntries(Object.entries(options.settings).map(([name, doc]) => [name, stack.toJsonString(doc)]));
  const fn = new HandlerFunction(scope, id, {
    code: bundledCode(`examples/iot-platform/${options.bundle}`),
    codeName: `examples/iot-platform/${options.bundle}`,
    description: options.description,
    memorySize: options.memorySize,
    timeout: options.timeout ?? Duration.seconds(10),
    removalPolicy: RemovalPolicy.DESTROY,
    encryptionKey: options.encryptionKey,
    environment,
  }).function;
  NagSuppressions.addResourceSuppressions(fn, [
    { id: 'Serverless-LambdaDLQ', reason: options.reasons },
    { id: 'Serverless-LambdaAsyncFailureDestination', reason: options.reasons },
  ]);
  return fn;
}

/** Query on one index of a table, and nothing else. */
export function queryIndex(tableArn: string, indexName: string): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${tableArn}/index/${indexName}`] });
}

/** Invoked synchronously by API Gateway: a failure is the caller's HTTP/WebSocket answer; nothing is queued. */
export const API_INVOKED_REASON = 'Invoked synchronously by API Gateway: a failure is returned to the caller as its answer, and there are no ' +
  'asynchronous invocations to dead-letter or route to a failure destination.';

/**
 * Lets `fn` post to and close the stage's WebSocket connections. The grant (what
 * `WebSocketStage.grantManagementApiAccess` writes) ends in `@connections/` and a wildcard:
 * connection ids exist only at runtime.
 */
export function grantConnectionManagement(stage: apigwv2.WebSocketStage, fn: lambda.IFunction): void {
  stage.grantManagementApiAccess(fn);
  NagSuppressions.addResourceSuppressions(fn.role!, [{
    id: 'AwsSolutions-IAM5',
    reason: 'Posting to and closing WebSocket connections of the lab\'s own API and prod stage only; connection ids are created at runtime, so the @connections path ends in a wildcard.',
    appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<.*>\\/prod\\/\\*\\/@connections\\/\\*$/' }],
  }], true);
}
