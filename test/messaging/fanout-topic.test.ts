import { App, Aws, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { bundledCode } from '../../examples/bundled-code';
import { HandlerFunction } from '../../src';
import { PropsValidationError } from '../../src/core/validation';
import { FanoutQueue, FanoutTopic } from '../../src/messaging';
import { SQS_CONSUMER_SUPPRESSIONS, unacknowledgedNagFindings } from '../helpers/nag';

const created = sns.SubscriptionFilter.stringFilter({ allowlist: ['created'] });

function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

function consumerFunction(stack: Stack, id: string, timeout = Duration.seconds(20)): lambda.Function {
  const fn = new HandlerFunction(stack, id, { code: bundledCode('fanout-consumer'), description: 'consumes order events', timeout }).function;
  NagSuppressions.addResourceSuppressions(fn, SQS_CONSUMER_SUPPRESSIONS);
  return fn;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof PropsValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a PropsValidationError');
}

describe('FanoutTopic defaults', () => {
  test('creates one rotating customer-managed key that encrypts the topic, every queue and every DLQ', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    events.addQueue('Inventory');
    events.addQueue('Billing');
    const t = Template.fromStack(stack);

    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(events.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn, SignatureVersion: '2' });
    // 2 queues + 2 DLQs + 1 subscription DLQ
    t.resourceCountIs('AWS::SQS::Queue', 5);
    for (const queue of Object.values(t.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.KmsMasterKeyId).toEqual(keyArn);
    }
  });

  test('the key policy lets SNS use the key for this topic only', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    events.addQueue('Inventory');
    const t = Template.fromStack(stack);
    const topicName = t.toJSON().Resources[stack.getLogicalId(events.topic.node.defaultChild as sns.CfnTopic)].Properties.TopicName;
    expect(topicName).toMatch(/^Stack-Events-[0-9A-F]{8}$/);
    const topicArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${topicName}`]] };
    const statements = Object.values(t.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    const snsStatements = statements.filter((s) => s.Principal?.Service === 'sns.amazonaws.com');
    expect(snsStatements).toEqual([{
      Sid: 'AllowSnsToDeliverToEncryptedQueues',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
    }]);
  });

  test('topic and every queue deny every action to every principal without TLS', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    events.addQueue('Inventory');
    const t = Template.fromStack(stack);
    const insecureDenials = (policy: any) => (policy.Properties.PolicyDocument.Statement as any[])
      .filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');

    const topicPolicies = Object.values(t.findResources('AWS::SNS::TopicPolicy'));
    expect(topicPolicies).toHaveLength(1);
    expect(insecureDenials(topicPolicies[0])).toEqual([expect.objectContaining({
      Principal: { AWS: '*' },
      Action: 'sns:*',
      Resource: { Ref: stack.getLogicalId(events.topic.node.defaultChild as sns.CfnTopic) },
    })]);
    const queuePolicies = Object.values(t.findResources('AWS::SQS::QueuePolicy'));
    // the queue, its DLQ and the subscription DLQ
    expect(queuePolicies).toHaveLength(3);
    for (const policy of queuePolicies) {
      expect(insecureDenials(policy)).toEqual([expect.objectContaining({ Principal: { AWS: '*' }, Action: 'sqs:*' })]);
    }
  });

  test('a queue accepts messages only from its topic, and its subscription dead-letters to the shared subscription DLQ', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const inventory = events.addQueue('Inventory');
    const t = Template.fromStack(stack);
    const topicRef = { Ref: stack.getLogicalId(events.topic.node.defaultChild as sns.CfnTopic) };
    const queueArn = { 'Fn::GetAtt': [stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue), 'Arn'] };
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'sqs:SendMessage',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': topicRef } },
        })]),
      },
    });
    const subscriptionDlqArn = { 'Fn::GetAtt': [stack.getLogicalId(events.subscriptionDeadLetterQueue.node.defaultChild as sqs.CfnQueue), 'Arn'] };
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: topicRef,
      Endpoint: queueArn,
      RawMessageDelivery: false,
      RedrivePolicy: { deadLetterTargetArn: subscriptionDlqArn },
    });
    // the subscription waits for the queue policy, so SNS's first delivery is not rejected
    const subscription = t.findResources('AWS::SNS::Subscription');
    expect(Object.values(subscription)[0].DependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId(inventory.queue.node.findChild('Policy').node.defaultChild as sqs.CfnQueuePolicy),
    ]));
  });

  test('queues get a DLQ with maxReceiveCount 5, 4-day retention, 14-day DLQ retention and long polling', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const inventory = events.addQueue('Inventory');
    const t = Template.fromStack(stack);
    const dlqArn = { 'Fn::GetAtt': [stack.getLogicalId(inventory.deadLetterQueue.node.defaultChild as sqs.CfnQueue), 'Arn'] };
    t.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 5 },
      MessageRetentionPeriod: 4 * 86400,
      ReceiveMessageWaitTimeSeconds: 20,
      VisibilityTimeout: 30,
    });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 86400, RedrivePolicy: Match.absent() });
  });

  test('data is retained by default and destroyed with removalPolicy DESTROY (key with a 7-day window)', () => {
    const retained = newStack();
    new FanoutTopic(retained, 'Events').addQueue('Inventory');
    const r = Template.fromStack(retained);
    for (const type of ['AWS::SQS::Queue', 'AWS::KMS::Key']) {
      for (const res of Object.values(r.findResources(type))) expect(res.DeletionPolicy).toBe('Retain');
    }

    const destroyed = newStack();
    new FanoutTopic(destroyed, 'Events', { removalPolicy: RemovalPolicy.DESTROY }).addQueue('Inventory');
    const d = Template.fromStack(destroyed);
    for (const type of ['AWS::SQS::Queue', 'AWS::KMS::Key']) {
      for (const res of Object.values(d.findResources(type))) expect(res.DeletionPolicy).toBe('Delete');
    }
    d.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
  });
});

describe('FanoutTopic alarms', () => {
  test('alarms on failed notifications, the subscription DLQ, each DLQ and each queue age', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const inventory = events.addQueue('Inventory', { maxMessageAge: Duration.minutes(30) });
    events.addQueue('Billing');
    const t = Template.fromStack(stack);

    t.resourceCountIs('AWS::CloudWatch::Alarm', 2 + 2 * 2);
    expect(events.alarms).toHaveLength(6);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfNotificationsFailed',
      Statistic: 'Sum',
      Threshold: 1,
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(inventory.deadLetterQueue.node.defaultChild as sqs.CfnQueue), 'QueueName'] } }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(events.subscriptionDeadLetterQueue.node.defaultChild as sqs.CfnQueue), 'QueueName'] } }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 1800,
      EvaluationPeriods: 3,
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue), 'QueueName'] } }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900 });
    expect(inventory.alarms).toEqual([inventory.deadLetterAlarm, inventory.ageAlarm]);
  });

  test('alarmTopic and addAlarmAction reach every alarm, including those of queues added later', () => {
    const stack = newStack();
    const alarmTopic = new sns.Topic(stack, 'OnCall');
    const pager = new sns.Topic(stack, 'Pager');
    const events = new FanoutTopic(stack, 'Events', { alarmTopic });
    events.addQueue('Inventory');
    events.addAlarmAction(new cloudwatchActions.SnsAction(pager));
    events.addQueue('Billing');
    const t = Template.fromStack(stack);
    const onCall = { Ref: stack.getLogicalId(alarmTopic.node.defaultChild as sns.CfnTopic) };
    const paged = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([onCall, paged]);
      expect(alarm.Properties.OKActions).toEqual([onCall, paged]);
    }
  });
});

describe('FanoutTopic queues', () => {
  test('filter policies on attributes and on the message body, and raw delivery, reach the subscriptions', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    events.addQueue('Inventory', { filterPolicy: { eventType: created }, rawMessageDelivery: true });
    events.addQueue('Audit', {
      filterPolicyWithMessageBody: {
        order: sns.FilterOrPolicy.policy({ total: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numericFilter({ greaterThan: 100 })) }),
      },
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Subscription', { FilterPolicy: { eventType: ['created'] }, RawMessageDelivery: true, FilterPolicyScope: Match.absent() });
    t.hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicy: { order: { total: [{ numeric: ['>', 100] }] } },
      FilterPolicyScope: 'MessageBody',
      RawMessageDelivery: false,
    });
    expect(events.queues.map((q) => [q.node.id, q.rawMessageDelivery])).toEqual([['Inventory', true], ['Audit', false]]);
  });

  test('names, retention, visibility timeout and maxReceiveCount can be set; the DLQ is named after the queue', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events', { topicName: 'order-events', displayName: 'Orders', deadLetterRetentionPeriod: Duration.days(10) });
    events.addQueue('Inventory', {
      queueName: 'inventory',
      maxReceiveCount: 3,
      visibilityTimeout: Duration.minutes(2),
      retentionPeriod: Duration.days(2),
      deadLetterRetentionPeriod: Duration.days(7),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'order-events', DisplayName: 'Orders' });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'inventory', VisibilityTimeout: 120, MessageRetentionPeriod: 2 * 86400, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'inventory-dlq', MessageRetentionPeriod: 7 * 86400 });
    // the subscription DLQ
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: Match.absent(), MessageRetentionPeriod: 10 * 86400 });
  });

  test('a consumer gets an event source mapping with partial batch responses and a visibility timeout of 6x its timeout', () => {
    const stack = newStack();
    const fn = consumerFunction(stack, 'Consumer', Duration.seconds(20));
    const events = new FanoutTopic(stack, 'Events');
    const inventory = events.addQueue('Inventory', { consumer: fn, batchSize: 50, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 5 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue), 'Arn'] },
      FunctionName: { Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) },
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    t.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 120, RedrivePolicy: Match.anyValue() });
    expect(inventory.eventSourceMapping).toBeDefined();
    // the consumer may read the queue and decrypt its messages
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) }),
      expect.objectContaining({ Action: 'kms:Decrypt' }),
    ]));
  });

  test('a consumer defaults to batch size 10; an imported consumer gets a 15-minute visibility timeout', () => {
    const stack = newStack();
    const imported = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:inventory',
      role: iam.Role.fromRoleArn(stack, 'ImportedRole', 'arn:aws:iam::123456789012:role/inventory'),
    });
    new FanoutTopic(stack, 'Events').addQueue('Inventory', { consumer: imported });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    t.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 900, RedrivePolicy: Match.anyValue() });
  });

  test('each dead-letter queue lets only its own queue redrive into it, named so that no reference forms a cycle', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const inventory = events.addQueue('Inventory');
    const t = Template.fromStack(stack).toJSON().Resources;
    const queue = t[stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue)];
    const dlqId = stack.getLogicalId(inventory.deadLetterQueue.node.defaultChild as sqs.CfnQueue);
    const queueName = queue.Properties.QueueName;
    expect(queueName).toMatch(/^Stack-Events-Inventory-[0-9A-F]{8}$/);
    expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    expect(t[dlqId].Properties.RedriveAllowPolicy).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${queueName}`]] }],
    });
    // the queue references its DLQ; a reference back would make CloudFormation reject a cycle
    expect(JSON.stringify(t[dlqId])).not.toContain(stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue));
  });

  test('a FIFO queue gets a .fifo name its DLQ\'s redrive allow policy names; a queueName given is used as is', () => {
    const stack = newStack();
    const fifo = new FanoutTopic(stack, 'Events', { fifo: true });
    const inventory = fifo.addQueue('Inventory');
    const named = new FanoutTopic(stack, 'Named').addQueue('Billing', { queueName: 'billing' });
    const t = Template.fromStack(stack).toJSON().Resources;
    const nameOf = (q: FanoutQueue) => t[stack.getLogicalId(q.queue.node.defaultChild as sqs.CfnQueue)].Properties.QueueName;
    const allowedSources = (q: FanoutQueue) =>
      JSON.stringify(t[stack.getLogicalId(q.deadLetterQueue.node.defaultChild as sqs.CfnQueue)].Properties.RedriveAllowPolicy);
    expect(nameOf(inventory)).toMatch(/^Stack-Events-Inventory-[0-9A-F]{8}\.fifo$/);
    expect(allowedSources(inventory)).toContain(`:${nameOf(inventory)}"`);
    expect(nameOf(named)).toBe('billing');
    expect(allowedSources(named)).toContain(':billing"');
  });

  test('existing dead-letter queues and an existing key are used instead of new ones', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
    const ownDlq = new sqs.Queue(stack, 'OwnDlq', { encryptionMasterKey: key });
    const ownSubscriptionDlq = new sqs.Queue(stack, 'OwnSubscriptionDlq', { encryptionMasterKey: key });
    const events = new FanoutTopic(stack, 'Events', { encryptionKey: key, subscriptionDeadLetterQueue: ownSubscriptionDlq });
    const inventory = events.addQueue('Inventory', { deadLetterQueue: ownDlq });
    expect(events.encryptionKey).toBe(key);
    expect(events.subscriptionDeadLetterQueue).toBe(ownSubscriptionDlq);
    expect(inventory.deadLetterQueue).toBe(ownDlq);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.resourceCountIs('AWS::SQS::Queue', 3);
    t.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [stack.getLogicalId(ownDlq.node.defaultChild as sqs.CfnQueue), 'Arn'] }, maxReceiveCount: 5 },
    });
    // the construct still adds the SNS statement to a key defined in the app
    const statements = Object.values(t.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    expect(statements.some((s) => s.Sid === 'AllowSnsToDeliverToEncryptedQueues')).toBe(true);
  });

  test('a FIFO fan-out makes the topic, every queue and every DLQ FIFO with content-based deduplication', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events', { fifo: true, topicName: 'orders' });
    events.addQueue('Inventory', { queueName: 'inventory', consumer: consumerFunction(stack, 'Consumer'), batchSize: 10 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'orders.fifo', FifoTopic: true, ContentBasedDeduplication: true });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'inventory.fifo', FifoQueue: true, ContentBasedDeduplication: true });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'inventory-dlq.fifo', FifoQueue: true });
    const queues = Object.values(t.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(3);
    for (const queue of queues) expect(queue.Properties.FifoQueue).toBe(true);
    expect(events.fifo).toBe(true);
  });

  test('grantPublish lets the grantee publish and use the key', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    events.grantPublish(publisher);
    const t = Template.fromStack(stack);
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: stack.getLogicalId(events.topic.node.defaultChild as sns.CfnTopic) } }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
    ]));
  });

  test('grantConsume lets a non-Lambda consumer read the queue and decrypt; a queue without consumer has no event source', () => {
    const stack = newStack();
    const inventory = new FanoutTopic(stack, 'Events').addQueue('Inventory');
    const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    inventory.grantConsume(worker);
    expect(inventory.eventSourceMapping).toBeUndefined();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(inventory.queue.node.defaultChild as sqs.CfnQueue), 'Arn'] },
      }),
      expect.objectContaining({ Action: 'kms:Decrypt' }),
    ]));
  });

  test('a FanoutQueue can subscribe to a topic on its own', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) });
    const queue = new FanoutQueue(stack, 'Standalone', { topic, encryptionKey: key, maxReceiveCount: 7 });
    const t = Template.fromStack(stack);
    const statements = t.toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy.Statement as any[];
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'AllowSnsToDeliverToEncryptedQueues',
      Condition: { ArnEquals: { 'aws:SourceArn': { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) } } },
    }));
    t.resourceCountIs('AWS::SNS::Subscription', 1);
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }) });
    expect(queue.fifo).toBe(false);
    expect(queue.alarms).toHaveLength(2);
  });

  test('a standalone FanoutQueue rejects a subscription DLQ whose type differs from the topic', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Topic', { fifo: true, masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) });
    const standardDlq = new sqs.Queue(stack, 'Dlq');
    expect(problemsOf(() => new FanoutQueue(stack, 'Standalone', { topic, encryptionKey: key, subscriptionDeadLetterQueue: standardDlq, maxReceiveCount: 0 })))
      .toEqual([
        'maxReceiveCount must be an integer between 1 and 1000, got 0',
        "subscriptionDeadLetterQueue must be a FIFO queue like the topic (FIFO mismatch), got 'a standard queue'",
      ]);
  });
});

describe('FanoutTopic validation', () => {
  test('reports every bad queue option in one error naming the call, the prop, the value and the range', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const fn = consumerFunction(stack, 'Consumer', Duration.seconds(60));
    let message = '';
    try {
      events.addQueue('Inventory', {
        maxReceiveCount: 0,
        retentionPeriod: Duration.days(15),
        deadLetterRetentionPeriod: Duration.seconds(30),
        visibilityTimeout: Duration.minutes(5),
        consumer: fn,
        maxConcurrency: 1,
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("FanoutTopic.addQueue('Inventory') at 'Stack/Events' has invalid props (6 problems)");
    expect(message).toContain('maxReceiveCount must be an integer between 1 and 1000, got 0');
    expect(message).toContain('retentionPeriod must be between 1 minute and 14 days, got 15 days');
    expect(message).toContain('deadLetterRetentionPeriod must be between 1 minute and 14 days, got 30 seconds');
    expect(message).toContain("visibilityTimeout must be at least 6 times the consumer's timeout (6 x 1 minute = 6 minutes)");
    expect(message).toContain('maxConcurrency must be an integer between 2 and 1000, got 1');
  });

  test('maxReceiveCount above 1000 and a visibility timeout above 12 hours are rejected', () => {
    const events = new FanoutTopic(newStack(), 'Events');
    expect(problemsOf(() => events.addQueue('Q', { maxReceiveCount: 1001, visibilityTimeout: Duration.hours(13) }))).toEqual([
      'maxReceiveCount must be an integer between 1 and 1000, got 1001',
      'visibilityTimeout must be between 0 seconds and 12 hours, got 13 hours',
    ]);
  });

  test('a standard DLQ that keeps messages shorter than its queue is rejected', () => {
    const events = new FanoutTopic(newStack(), 'Events');
    expect(problemsOf(() => events.addQueue('Q', { retentionPeriod: Duration.days(7), deadLetterRetentionPeriod: Duration.days(3) }))).toEqual([
      "deadLetterRetentionPeriod must be at least the queue's retentionPeriod (7 days): a dead letter keeps its original enqueue time and would expire early, got 3 days",
    ]);
  });

  test('two queues with the same id, or an id the construct uses, are rejected', () => {
    const events = new FanoutTopic(newStack(), 'Events');
    events.addQueue('Inventory');
    expect(problemsOf(() => events.addQueue('Inventory'))).toEqual(["id must be unique among the queues of this FanoutTopic, got 'Inventory'"]);
    expect(problemsOf(() => events.addQueue('Topic'))[0]).toMatch(/^id must not be one of the ids the FanoutTopic uses itself \(Key, Topic, .*\), got 'Topic'$/);
  });

  test('FIFO mismatches are rejected: DLQs, names and consumer settings', () => {
    const stack = newStack();
    const fifoDlq = new sqs.Queue(stack, 'FifoDlq', { fifo: true });
    const standardDlq = new sqs.Queue(stack, 'StandardDlq');
    expect(problemsOf(() => new FanoutTopic(stack, 'Standard', { topicName: 'orders.fifo', subscriptionDeadLetterQueue: fifoDlq }))).toEqual([
      "topicName must not end in '.fifo' unless fifo is true (FIFO mismatch), got 'orders.fifo'",
      "subscriptionDeadLetterQueue must be a standard queue like the topic (FIFO mismatch), got 'a FIFO queue'",
    ]);
    const standard = new FanoutTopic(stack, 'StandardOk');
    expect(problemsOf(() => standard.addQueue('Q', { queueName: 'inventory.fifo', deadLetterQueue: fifoDlq }))).toEqual([
      "queueName must not end in '.fifo' because the topic is not FIFO (FIFO mismatch), got 'inventory.fifo'",
      "deadLetterQueue must be a standard queue like the queue it serves (FIFO mismatch), got 'a FIFO queue'",
    ]);
    const fifo = new FanoutTopic(stack, 'Fifo', { fifo: true });
    const fn = consumerFunction(stack, 'Consumer');
    expect(problemsOf(() => fifo.addQueue('Q', { deadLetterQueue: standardDlq, consumer: fn, batchSize: 11, maxBatchingWindow: Duration.seconds(1) }))).toEqual([
      "deadLetterQueue must be a FIFO queue like the queue it serves (FIFO mismatch), got 'a standard queue'",
      'batchSize must be an integer between 1 and 10, got 11',
      'maxBatchingWindow is not supported for FIFO queues (Lambda limit), got 1 second',
    ]);
  });

  test('filter policies over the SNS limits are rejected', () => {
    const events = new FanoutTopic(newStack(), 'Events');
    const six = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, created]));
    const many = (n: number) => sns.SubscriptionFilter.stringFilter({ allowlist: Array.from({ length: n }, (_, i) => `v${i}`) });
    expect(problemsOf(() => events.addQueue('TooManyKeys', { filterPolicy: six }))).toEqual([
      'filterPolicy must have at most 5 attribute names (SNS limit), got ["a","b","c","d","e","f"]',
    ]);
    expect(problemsOf(() => events.addQueue('TooManyCombinations', { filterPolicy: { a: many(10), b: many(16) } }))).toEqual([
      'filterPolicy must have at most 150 value combinations (the product of the number of values per attribute; SNS limit), got 160',
    ]);
    expect(problemsOf(() => events.addQueue('Both', {
      filterPolicy: { a: created },
      filterPolicyWithMessageBody: { a: sns.FilterOrPolicy.filter(created) },
    }))).toEqual([
      'filterPolicy cannot be combined with filterPolicyWithMessageBody (a subscription filters on attributes or on the body, not both), got ["a"]',
    ]);
    expect(problemsOf(() => events.addQueue('Empty', { filterPolicy: { a: sns.SubscriptionFilter.stringFilter({}) } }))).toEqual([
      'filterPolicy.a must have at least one condition (an empty filter matches nothing and SNS rejects it), got []',
    ]);
    const body = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, sns.FilterOrPolicy.filter(many(2))]));
    expect(problemsOf(() => events.addQueue('BodyKeys', { filterPolicyWithMessageBody: body }))).toEqual([
      'filterPolicyWithMessageBody must have at most 5 top-level keys (SNS limit), got ["a","b","c","d","e","f"]',
    ]);
    expect(problemsOf(() => events.addQueue('BodyCombinations', {
      filterPolicyWithMessageBody: {
        order: sns.FilterOrPolicy.policy({ a: sns.FilterOrPolicy.filter(many(10)), b: sns.FilterOrPolicy.filter(many(4)) }),
      },
    }))).toEqual([
      'filterPolicyWithMessageBody must have at most 150 value combinations (the product of the number of values per key, nested keys weighted by depth; SNS limit), got 160',
    ]);
  });

  test('consumer settings without a consumer, and out-of-range batch settings, are rejected', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    expect(problemsOf(() => events.addQueue('NoConsumer', { batchSize: 5, maxBatchingWindow: Duration.seconds(1), maxConcurrency: 5 }))).toEqual([
      'batchSize applies only to a queue with a consumer; set consumer or remove it, got 5',
      'maxBatchingWindow applies only to a queue with a consumer; set consumer or remove it, got 1 second',
      'maxConcurrency applies only to a queue with a consumer; set consumer or remove it, got 5',
    ]);
    const fn = consumerFunction(stack, 'Consumer');
    expect(problemsOf(() => events.addQueue('Batch', { consumer: fn, batchSize: 20 }))).toEqual([
      'batchSize must be an integer between 1 and 10 without a maxBatchingWindow (up to 10000 with one), got 20',
    ]);
    expect(problemsOf(() => events.addQueue('Window', { consumer: fn, batchSize: 10001, maxBatchingWindow: Duration.minutes(6) }))).toEqual([
      'batchSize must be an integer between 1 and 10000, got 10001',
      'maxBatchingWindow must be between 0 seconds and 5 minutes, got 6 minutes',
    ]);
  });

  test('names that do not fit SQS, an age alarm beyond retention and options meant for created DLQs are rejected', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const dlq = new sqs.Queue(stack, 'Dlq');
    expect(problemsOf(() => events.addQueue('Q', {
      queueName: 'x'.repeat(77),
      maxMessageAge: Duration.days(5),
      deadLetterQueue: dlq,
      deadLetterRetentionPeriod: Duration.days(14),
    }))).toEqual([
      `queueName must be 1 to 76 letters, digits, '-' or '_', so that it and its dead-letter queue '<name>-dlq' fit SQS's 80 characters, got '${'x'.repeat(77)}'`,
      'deadLetterRetentionPeriod applies only to a dead-letter queue the construct creates; set the retention on the deadLetterQueue you pass instead, got 14 days',
      "maxMessageAge must be shorter than the queue's retentionPeriod (4 days), or the alarm can never fire, got 5 days",
    ]);
    expect(problemsOf(() => new FanoutTopic(stack, 'Bad', { topicName: 'has space', deadLetterRetentionPeriod: Duration.days(20) }))).toEqual([
      "topicName must be 1 to 256 letters, digits, '-' or '_', got 'has space'",
      'deadLetterRetentionPeriod must be between 1 minute and 14 days, got 20 days',
    ]);
  });

  test('unresolved tokens are not validated', () => {
    const stack = newStack();
    const events = new FanoutTopic(stack, 'Events');
    const count = Lazy.number({ produce: () => 0 });
    expect(() => events.addQueue('Q', { maxReceiveCount: count, queueName: Aws.STACK_NAME })).not.toThrow();
  });
});

describe('FanoutTopic cdk-nag', () => {
  test('a fan-out with three queues (one consumed) and a FIFO variant is cdk-nag clean', () => {
    const stack = newStack();
    const alarmTopic = new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true }) });
    const events = new FanoutTopic(stack, 'OrderEvents', { alarmTopic });
    events.addQueue('Inventory', { filterPolicy: { eventType: created }, consumer: consumerFunction(stack, 'InventoryConsumer') });
    events.addQueue('Billing', { rawMessageDelivery: true });
    events.addQueue('Notifications', { filterPolicyWithMessageBody: { eventType: sns.FilterOrPolicy.filter(created) } });
    events.grantPublish(new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));

    const fifo = new FanoutTopic(stack, 'OrderLedger', { fifo: true, alarmTopic });
    fifo.addQueue('Ledger', { consumer: consumerFunction(stack, 'LedgerConsumer') });
    fifo.addQueue('Archive');

    expect(unacknowledgedNagFindings(stack, { includeWarnings: true })).toEqual([]);
  });
});
