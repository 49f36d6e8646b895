import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createFanoutQueueAlarms } from './fanout-queue-alarms';
import { FanoutQueueProps } from './fanout-queue-props';
import {
  DEAD_LETTER_SUFFIX,
  DEFAULT_DEAD_LETTER_RETENTION,
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_RETENTION,
  defaultVisibilityTimeout,
  validateFanoutQueueProps,
} from './fanout-queue-validation';
import { acknowledgeDeadLetterQueue, allowTopicToUseKey, topicUsesKey } from './subscription-helpers';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { withoutSnapshot } from '../core/defaults';
import { acknowledgeNagFindings } from '../core/nag';

/**
 * One SQS queue subscribed to an SNS topic with everything that keeps its messages from
 * being lost: a dead-letter queue, an SSL-only policy that lets only its topic send,
 * KMS encryption, a DLQ alarm and an age alarm, and optionally a Lambda consumer with
 * partial batch responses. {@link FanoutTopic.addQueue} creates these.
 */
export class FanoutQueue extends AlarmedConstruct {
  /** The subscribed queue. */
  public readonly queue: sqs.Queue;
  /** Where messages go after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The SNS subscription of the queue. */
  public readonly subscription: sns.Subscription;
  /** Fires when the dead-letter queue holds a message. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Fires when the oldest message in the queue is older than `maxMessageAge`. */
  public readonly ageAlarm: cloudwatch.Alarm;
  /** The SQS event source of the consumer, if there is one. */
  public readonly eventSourceMapping?: lambda.EventSourceMapping;
  /** Whether the queue receives raw messages (true) or SNS envelopes (false). */
  public readonly rawMessageDelivery: boolean;
  /** Whether the queue is FIFO (it is when its topic is). */
  public readonly fifo: boolean;

  constructor(scope: Construct, id: string, props: FanoutQueueProps) {
    super(scope, id, props.alarmTopic);
    this.fifo = props.topic.fifo;
    validateFanoutQueueProps(this, props, this.fifo);

    const removalPolicy = withoutSnapshot(props.removalPolicy);
    const names = queueNames(this, props.queueName, this.fifo);
    this.rawMessageDelivery = props.rawMessageDelivery ?? false;

    if (props.deadLetterQueue) {
      this.deadLetterQueue = props.deadLetterQueue;
    } else {
      // Only this construct's queue may use the DLQ. Its ARN is built from the queue's name:
      // a reference to the queue would be a cycle, since the queue's redrive policy references the DLQ.
      const sourceQueue = sqs.Queue.fromQueueArn(this, 'SourceQueue', Stack.of(this).formatArn({ service: 'sqs', resource: names.queueName }));
      const dlq = new sqs.Queue(this, 'DeadLetterQueue', {
        queueName: names.deadLetterQueueName,
        fifo: this.fifo || undefined,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.encryptionKey,
        enforceSSL: true,
        retentionPeriod: props.deadLetterRetentionPeriod ?? DEFAULT_DEAD_LETTER_RETENTION,
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: [sourceQueue] },
        removalPolicy,
      });
      acknowledgeDeadLetterQueue(dlq);
      this.deadLetterQueue = dlq;
    }

    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: names.queueName,
      fifo: this.fifo || undefined,
      contentBasedDeduplication: this.fifo || undefined,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? DEFAULT_RETENTION,
      visibilityTimeout: props.visibilityTimeout ?? defaultVisibilityTimeout(props.consumer),
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
      removalPolicy,
    });

    // A topic encrypted with the same key names itself in the key policy (FanoutTopic does);
    // a reference from here would make key and topic depend on each other.
    if (!topicUsesKey(props.topic, props.encryptionKey)) allowTopicToUseKey(props.encryptionKey, props.topic.topicArn);
    // Only this topic may send to the queue; the policy exists before the subscription so
    // that the first message SNS delivers is not rejected.
    const { policyDependable } = this.queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTopicToSend',
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': props.topic.topicArn } },
    }));
    this.subscription = new sns.Subscription(this, 'Subscription', {
      topic: props.topic,
      endpoint: this.queue.queueArn,
      protocol: sns.SubscriptionProtocol.SQS,
      rawMessageDelivery: this.rawMessageDelivery,
      filterPolicy: props.filterPolicy,
      filterPolicyWithMessageBody: props.filterPolicyWithMessageBody,
      deadLetterQueue: props.subscriptionDeadLetterQueue,
    });
    if (policyDependable) this.subscription.node.addDependency(policyDependable);

    if (props.consumer) {
      this.eventSourceMapping = new lambda.EventSourceMapping(this, 'ConsumerMapping', {
        target: props.consumer,
        eventSourceArn: this.queue.queueArn,
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: props.maxBatchingWindow,
        maxConcurrency: props.maxConcurrency,
        reportBatchItemFailures: true,
      });
      this.queue.grantConsumeMessages(props.consumer);
      acknowledgeNagFindings(this.eventSourceMapping, [{
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: 'SQS event source mappings do not support on-failure destinations; a record that keeps failing moves to the queue\'s ' +
          'dead-letter queue after maxReceiveCount receives, and that DLQ alarms.',
      }]);
    }

    const alarms = createFanoutQueueAlarms(this, this._alarmSet, {
      queue: this.queue, deadLetterQueue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount, maxMessageAge: props.maxMessageAge,
    });
    this.deadLetterAlarm = alarms.deadLetterAlarm;
    this.ageAlarm = alarms.ageAlarm;
  }

  /** Let `grantee` receive, delete and change the visibility of the queue's messages (and decrypt them). */
  public grantConsume(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantConsumeMessages(grantee);
  }
}

/**
 * The queue's name (given, or derived from the construct path so that its DLQ can name it
 * without a reference) and, for a given name, its DLQ's `<name>-dlq`.
 */
function queueNames(scope: Construct, queueName: string | undefined, fifo: boolean): { queueName: string; deadLetterQueueName?: string } {
  if (queueName === undefined) {
    const generated = Names.uniqueResourceName(scope, { maxLength: fifo ? 75 : 80, separator: '-' });
    return { queueName: fifo ? `${generated}.fifo` : generated };
  }
  if (Token.isUnresolved(queueName)) return { queueName };
  const base = queueName.endsWith('.fifo') ? queueName.slice(0, -'.fifo'.length) : queueName;
  const suffix = fifo ? '.fifo' : '';
  return { queueName: `${base}${suffix}`, deadLetterQueueName: `${base}${DEAD_LETTER_SUFFIX}${suffix}` };
}
