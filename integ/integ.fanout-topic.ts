import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { bundledCode } from '../examples/bundled-code';
import { FanoutTopic, HandlerFunction } from '../src';
import { FANOUT_CONSUMER_SETTINGS_VARIABLE, FanoutConsumerSettingsDocument } from '../src/messaging/fanout-consumer-settings';
import { SQS_CONSUMER_SUPPRESSIONS } from '../test/helpers/nag';

// A topic fanned out to two filtered queues. Inventory (eventType 'created') is consumed by
// the example consumer, which rejects any message carrying the marker; Billing (eventType
// 'paid', raw delivery) has no consumer, so its content can be inspected. Assertions:
// every message lands only in the queue whose filter matches, the marker message ends in
// Inventory's dead-letter queue after maxReceiveCount receives, the good 'created' message
// does not, and SNS dead-lettered nothing.
const MARKER = 'POISON-MARKER';
const app = new App();
const stack = new Stack(app, 'FanoutTopicInteg');

const events = new FanoutTopic(stack, 'OrderEvents', { removalPolicy: RemovalPolicy.DESTROY });
const consumer = new HandlerFunction(stack, 'InventoryConsumer', {
  code: bundledCode('fanout-consumer'),
  codeName: 'fanout-consumer',
  description: 'Example fan-out consumer: processes order events, rejects the marker message',
  timeout: Duration.seconds(10),
  removalPolicy: RemovalPolicy.DESTROY,
  environment: {
    [FANOUT_CONSUMER_SETTINGS_VARIABLE]: JSON.stringify({ serviceName: 'inventory', failMarker: MARKER, maxReceiveCount: 2 } satisfies FanoutConsumerSettingsDocument),
  },
});
NagSuppressions.addResourceSuppressions(consumer.function, SQS_CONSUMER_SUPPRESSIONS);
const inventory = events.addQueue('Inventory', {
  filterPolicy: { eventType: sns.SubscriptionFilter.stringFilter({ allowlist: ['created'] }) },
  maxReceiveCount: 2,
  consumer: consumer.function,
  batchSize: 1,
});
const billing = events.addQueue('Billing', {
  filterPolicy: { eventType: sns.SubscriptionFilter.stringFilter({ allowlist: ['paid'] }) },
  rawMessageDelivery: true,
});

const integ = new IntegTest(app, 'FanoutTopicTest', { testCases: [stack] });
const keyAccess = { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [events.encryptionKey.keyArn] };

/** SDK calls against encrypted queues and the encrypted topic need the key as well. */
function withKeyAccess(call: IApiCall): IApiCall {
  call.provider.addToRolePolicy(keyAccess);
  return call;
}

function publish(orderId: string, eventType: string, note = ''): IApiCall {
  return withKeyAccess(integ.assertions.awsApiCall('SNS', 'Publish', {
    TopicArn: events.topic.topicArn,
    Message: JSON.stringify({ orderId, eventType, note }),
    MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
  }));
}

/** Poll `call` until its expectation holds; both the call's and the waiter's provider get key access. */
function waitFor(call: IApiCall, totalTimeout: Duration): IApiCall {
  const waiting = call.waitForAssertions({ interval: Duration.seconds(15), totalTimeout });
  call.provider.addToRolePolicy(keyAccess);
  (call as unknown as { waiterProvider?: { addToRolePolicy(statement: unknown): void } }).waiterProvider?.addToRolePolicy(keyAccess);
  return waiting;
}

function visibleMessages(queueUrl: string, expected: string): IApiCall {
  const call = integ.assertions.awsApiCall('SQS', 'GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] });
  call.expect(ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: expected } }));
  return waitFor(call, Duration.minutes(3));
}

function receive(queueUrl: string, bodyPattern: string): IApiCall {
  const call = integ.assertions.awsApiCall('SQS', 'ReceiveMessage', {
    QueueUrl: queueUrl,
    MaxNumberOfMessages: 10,
    WaitTimeSeconds: 5,
    VisibilityTimeout: 0,
  });
  call.expect(ExpectedResult.objectLike({ Messages: Match.arrayWith([Match.objectLike({ Body: Match.stringLikeRegexp(bodyPattern) })]) }));
  return waitFor(call, Duration.minutes(10));
}

publish('o-created', 'created')
  .next(publish('o-paid', 'paid'))
  .next(publish('o-poison', 'created', MARKER))
  // The marker reaches Inventory's DLQ after two failed receives; the good 'created' message does not.
  .next(receive(inventory.deadLetterQueue.queueUrl, MARKER))
  .next(visibleMessages(inventory.deadLetterQueue.queueUrl, '1'))
  // Billing holds exactly the 'paid' message, delivered raw: the 'created' ones were filtered out.
  .next(visibleMessages(billing.queue.queueUrl, '1'))
  .next(receive(billing.queue.queueUrl, '^\\{"orderId":"o-paid","eventType":"paid"'))
  // Inventory was drained by its consumer, and SNS could deliver everything.
  .next(visibleMessages(inventory.queue.queueUrl, '0'))
  .next(visibleMessages(events.subscriptionDeadLetterQueue.queueUrl, '0'));

app.synth();
