import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { EcsOrchestrationLabStack } from '../examples/ecs-orchestration/ecs-orchestration-lab-stack';

// Deploys the whole ECS orchestration lab and checks its two paths end to end:
//  1. the web service answers through the ALB with the catalog it fetched from the api
//     service by its Service Connect name (a 200 that names both services);
//  2. jobs enqueued on SQS are drained by the worker: the queue empties, nothing reaches the
//     dead-letter queue, and the worker's log shows each job done.
const app = new App();
const stack = new EcsOrchestrationLabStack(app, 'EcsOrchestrationLabInteg');
const integ = new IntegTest(app, 'EcsOrchestrationLabTest', { testCases: [stack], diffAssets: false });
const { assertions } = integ;
const settle = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) };
const JOB_IDS = ['integ-1', 'integ-2', 'integ-3', 'integ-4', 'integ-5'];

const page = assertions.httpApiCall(`http://${stack.web.loadBalancer!.loadBalancerDnsName}/`);
page.expect(ExpectedResult.objectLike({
  status: 200,
  body: Match.objectLike({ service: 'web', degraded: false, catalog: Match.objectLike({ service: 'api' }) }),
})).waitForAssertions(settle);

const enqueue = assertions.awsApiCall('SQS', 'sendMessageBatch', {
  QueueUrl: stack.jobs.queue.queueUrl,
  Entries: JOB_IDS.map((jobId, i) => ({ Id: String(i), MessageBody: JSON.stringify({ jobId, workMs: 500 }) })),
});
enqueue.expect(ExpectedResult.objectLike({ Successful: Match.arrayWith([Match.objectLike({ Id: '4' })]) }));
enqueue.provider.addToRolePolicy({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [stack.jobs.queue.queueArn] });

const drained = assertions.awsApiCall('SQS', 'getQueueAttributes', {
  QueueUrl: stack.jobs.queue.queueUrl,
  AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
});
drained.expect(ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } }))
  .waitForAssertions(settle);

const deadLettered = assertions.awsApiCall('SQS', 'getQueueAttributes', {
  QueueUrl: stack.jobs.deadLetterQueue.queueUrl,
  AttributeNames: ['ApproximateNumberOfMessages'],
});
deadLettered.expect(ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: '0' } }));

const done = assertions.awsApiCall('CloudWatchLogs', 'filterLogEvents', {
  logGroupName: stack.worker.logGroup.logGroupName,
  filterPattern: '"job done" "integ-5"',
});
done.expect(ExpectedResult.objectLike({ events: Match.arrayWith([Match.objectLike({ message: Match.stringLikeRegexp('integ-5') })]) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(15) });
done.provider.addToRolePolicy({ Effect: 'Allow', Action: ['logs:FilterLogEvents'], Resource: ['*'] });

page.next(enqueue).next(drained).next(deadLettered).next(done);

app.synth();
