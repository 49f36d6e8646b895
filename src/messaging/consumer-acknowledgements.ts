import type { NagAcknowledgement } from '../core/nag';

const REASON = 'This function is invoked only by an SQS event source mapping (synchronously, by the Lambda poller): a failed record returns ' +
  'to its queue and moves to the queue\'s dead-letter queue after maxReceiveCount receives, which alarms. There are no asynchronous ' +
  'invocations to dead-letter or route to a failure destination.';

/**
 * The cdk-nag acknowledgements a Lambda function owes when its only trigger is a FanoutQueue
 * (pass them as HandlerFunction `nagAcknowledgements`). Not for functions that are also
 * invoked asynchronously.
 */
export const SQS_CONSUMER_NAG_ACKNOWLEDGEMENTS: NagAcknowledgement[] = [
  { id: 'Serverless-LambdaDLQ', reason: REASON },
  { id: 'Serverless-LambdaAsyncFailureDestination', reason: REASON },
];
