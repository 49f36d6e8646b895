import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { HandlerFunction } from '../../src';
import { bundledCode } from '../bundled-code';

/**
 * How a lab function is invoked, which decides what cdk-nag's dead-letter rules mean for
 * it: only asynchronous invocations (S3, EventBridge Scheduler) can be dead-lettered, and
 * those functions get an on-failure destination instead of a DLQ.
 */
export type Invocation = 'synchronous' | 'queue' | 'stream' | 'asynchronous';

const INVOCATION_REASONS: Record<Invocation, string> = {
  synchronous: 'Invoked synchronously only (API Gateway, a Step Functions task or the circuit breaker): the caller receives the error and '
    + 'retries or compensates; there are no asynchronous invocations to dead-letter.',
  queue: 'Invoked only by an SQS event source mapping: a failed message returns to its queue and moves to the queue\'s dead-letter queue '
    + 'after maxReceiveCount receives (alarmed); there are no asynchronous invocations.',
  stream: 'Invoked only by the DynamoDB Streams event source mapping, whose on-failure destination (an SQS queue, alarmed) receives the '
    + 'records that still fail after bisecting and retrying; there are no asynchronous invocations.',
  asynchronous: 'Invoked asynchronously: failures go to the function\'s on-failure destination (an SQS queue, alarmed), which records the '
    + 'event and the error, so a dead-letter queue that records only the event would add nothing.',
};

/** One lab function: the bundle it runs and how much of the machine it gets. */
export interface CafeFunctionOptions {
  /** The bundle under assets/examples/lambda-integration/. */
  readonly bundle: string;
  readonly description: string;
  /** See the guide's "Memory and cold starts": user-facing 512 MB, workflow steps 256 MB, the stand-in provider 128 MB. */
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly invocation: Invocation;
}

/** A lab function on the library's HandlerFunction (ARM64, Node.js 22, tracing, JSON logs) with its invocation acknowledged. */
export function cafeFunction(scope: Construct, id: string, options: CafeFunctionOptions): HandlerFunction {
  const handler = new HandlerFunction(scope, id, {
    code: bundledCode(`examples/lambda-integration/${options.bundle}`),
    codeName: `lambda-integration/${options.bundle}`,
    description: `${options.description} (café lab)`,
    memorySize: options.memorySize,
    timeout: options.timeout,
    environment: options.environment,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const reason = INVOCATION_REASONS[options.invocation];
  NagSuppressions.addResourceSuppressions(handler.function, [
    { id: 'Serverless-LambdaDLQ', reason },
    ...(options.invocation === 'asynchronous' ? [] : [{ id: 'Serverless-LambdaAsyncFailureDestination', reason }]),
  ]);
  return handler;
}

/** Exactly one function's unqualified ARN (grantInvoke would add a `:*` version wildcard). */
export function allowInvoke(caller: HandlerFunction, target: lambda.IFunction): void {
  caller.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }));
}
