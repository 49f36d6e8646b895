import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApprovalCondition, ApprovalWorkflow } from '../src/workflow';

// A large-order approval whose requests go to an SQS queue (raw delivery) instead of email,
// so the test can read the signed decision link the way a chat bot would. Assertions:
// order A (amount above the threshold) is announced, approved by POSTing to the callback
// URL, and SUCCEEDS; order B is announced, rejected, runs the compensation step
// (ReleaseReservation) and FAILS with ApprovalRejected.
const app = new App();
const stack = new Stack(app, 'ApprovalWorkflowInteg');

const requests = new sqs.Queue(stack, 'ApprovalRequests', {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
});
const workflow = new ApprovalWorkflow(stack, 'LargeOrderApproval', {
  subscriptions: [new subscriptions.SqsSubscription(requests, { rawMessageDelivery: true })],
  requiresApproval: ApprovalCondition.numberGreaterThan('$.amount', 100),
  summaryFields: { orderId: '$.orderId', amount: '$.amount' },
  approvalTimeout: Duration.hours(1),
  beforeApproval: new sfn.Pass(stack, 'ValidateOrder'),
  onApproved: new sfn.Pass(stack, 'ProcessPayment'),
  compensation: new sfn.Pass(stack, 'ReleaseReservation'),
  removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'ApprovalWorkflowTest', { testCases: [stack] });
const poll = { interval: Duration.seconds(10), totalTimeout: Duration.minutes(5) };

function start(orderId: string, amount: number): IApiCall {
  return integ.assertions.awsApiCall('SFN', 'startExecution', {
    stateMachineArn: workflow.stateMachine.stateMachineArn,
    input: JSON.stringify({ orderId, amount }),
  });
}

/** The approval request of the one execution in flight (the queue holds one message at a time). */
function receiveRequest(): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: requests.queueUrl,
    MaxNumberOfMessages: 1,
    WaitTimeSeconds: 10,
  }, ['Messages.0.Body.decisionUrl', 'Messages.0.Body.e', 'Messages.0.Body.s', 'Messages.0.Body.type', 'Messages.0.ReceiptHandle'])
    .expect(ExpectedResult.objectLike({ Messages: [Match.objectLike({ Body: Match.objectLike({ type: 'ApprovalRequested' }) })] }))
    .waitForAssertions(poll);
}

function decide(request: IApiCall, decision: 'approve' | 'reject'): IApiCall {
  return integ.assertions.httpApiCall(request.getAttString('Messages.0.Body.decisionUrl'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stack.toJsonString({
      decision,
      e: request.getAttString('Messages.0.Body.e'),
      s: request.getAttString('Messages.0.Body.s'),
      comment: `integ ${decision}`,
    }),
  }).expect(ExpectedResult.objectLike({ status: 200 }));
}

function expectStatus(execution: IApiCall, status: string): IApiCall {
  return integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: execution.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status }))
    .waitForAssertions(poll);
}

function consume(request: IApiCall): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'deleteMessage', {
    QueueUrl: requests.queueUrl,
    ReceiptHandle: request.getAttString('Messages.0.ReceiptHandle'),
  });
}

const orderA = start('A', 500);
const requestA = receiveRequest();
const approveA = decide(requestA, 'approve');
const succeededA = expectStatus(orderA, 'SUCCEEDED');
const consumedA = consume(requestA);

const orderB = start('B', 900);
const requestB = receiveRequest();
const rejectB = decide(requestB, 'reject');
const failedB = integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: orderB.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'FAILED', error: 'ApprovalRejected' }))
  .waitForAssertions(poll);
const compensatedB = integ.assertions.awsApiCall('SFN', 'getExecutionHistory', {
  executionArn: orderB.getAttString('executionArn'),
  reverseOrder: true,
  maxResults: 20,
  includeExecutionData: false,
}).expect(ExpectedResult.objectLike({
  events: Match.arrayWith([Match.objectLike({ type: 'PassStateEntered', stateEnteredEventDetails: Match.objectLike({ name: 'ReleaseReservation' }) })]),
}));

orderA.next(requestA).next(approveA).next(succeededA).next(consumedA)
  .next(orderB).next(requestB).next(rejectB).next(failedB).next(compensatedB);

app.synth();
