import { Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FanoutQueue } from './fanout-queue';
import { AddQueueOptions } from './fanout-queue-props';
import { DEFAULT_DEAD_LETTER_RETENTION } from './fanout-queue-validation';
import { createFanoutTopicAlarms } from './fanout-topic-alarms';
import { FanoutTopicProps } from './fanout-topic-props';
import { validateAddQueue, validateFanoutTopicProps } from './fanout-topic-validation';
import { acknowledgeDeadLetterQueue, allowTopicToUseKey } from './subscription-helpers';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { createEncryptionKey, withoutSnapshot } from '../core/defaults';
import { denyTopicAccessWithoutTls } from '../core/tls-only';

/**
 * An SNS topic fanned out to any number of SQS queues, so that no message is silently
 * lost: every queue has its own dead-letter queue and alarms, every subscription
 * dead-letters what SNS cannot deliver, everything is encrypted with a customer-managed
 * key SNS can use, and topic and queues accept TLS requests only.
 *
 * @example
 * import { FanoutTopic } from 'cdk-service-integration';
 *
 * const events = new FanoutTopic(this, 'OrderEvents', { alarmTopic });
 * const inventory = events.addQueue('Inventory', {
 *   filterPolicy: { eventType: sns.SubscriptionFilter.stringFilter({ allowlist: ['created'] }) },
 *   consumer: inventoryFn,
 * });
 * events.grantPublish(orderService);
 */
export class FanoutTopic extends AlarmedConstruct {
  /** The topic publishers send to. */
  public readonly topic: sns.Topic;
  /** The key that encrypts the topic and the queues. */
  public readonly encryptionKey: kms.IKey;
  /** Where SNS puts messages it could not deliver to a queue. */
  public readonly subscriptionDeadLetterQueue: sqs.IQueue;
  /** Fires when SNS failed to deliver a notification. */
  public readonly failedNotificationsAlarm: cloudwatch.Alarm;
  /** Fires when the subscription dead-letter queue holds a message. */
  public readonly subscriptionDeadLetterAlarm: cloudwatch.Alarm;
  /** Whether the topic and its queues are FIFO. */
  public readonly fifo: boolean;

  private readonly props: FanoutTopicProps;
  private readonly queueList: FanoutQueue[] = [];

  constructor(scope: Construct, id: string, props: FanoutTopicProps = {}) {
    super(scope, id, props.alarmTopic);
    this.props = props;
    this.fifo = props.fifo ?? false;
    validateFanoutTopicProps(this, props, this.fifo);

    const removalPolicy = withoutSnapshot(props.removalPolicy);
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the fan-out topic ${this.node.path}, its queues and dead-letter queues`,
      removalPolicy,
    });

    // The topic gets a physical name so that the key policy can name its ARN without a
    // reference to it (the topic references the key: a reference back would be a cycle).
    const topicName = physicalTopicName(this, props.topicName, this.fifo);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName,
      displayName: props.displayName,
      fifo: this.fifo || undefined,
      contentBasedDeduplication: this.fifo || undefined,
      masterKey: this.encryptionKey,
      signatureVersion: '2',
    });
    denyTopicAccessWithoutTls(this.topic);
    allowTopicToUseKey(this.encryptionKey, Stack.of(this).formatArn({ service: 'sns', resource: topicName }));

    if (props.subscriptionDeadLetterQueue) {
      this.subscriptionDeadLetterQueue = props.subscriptionDeadLetterQueue;
    } else {
      const dlq = new sqs.Queue(this, 'SubscriptionDeadLetterQueue', {
        fifo: this.fifo || undefined,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.encryptionKey,
        enforceSSL: true,
        retentionPeriod: props.deadLetterRetentionPeriod ?? DEFAULT_DEAD_LETTER_RETENTION,
        removalPolicy,
      });
      acknowledgeDeadLetterQueue(dlq);
      this.subscriptionDeadLetterQueue = dlq;
    }

    const alarms = createFanoutTopicAlarms(this, this._alarmSet, this.topic, this.subscriptionDeadLetterQueue);
    this.failedNotificationsAlarm = alarms.failedNotificationsAlarm;
    this.subscriptionDeadLetterAlarm = alarms.subscriptionDeadLetterAlarm;
  }

  /**
   * Subscribe a new queue, with its own dead-letter queue, alarms and optional consumer.
   * Every problem with `options` is reported in one error.
   */
  public addQueue(id: string, options: AddQueueOptions = {}): FanoutQueue {
    validateAddQueue(this, id, options, this.fifo);

    const queue = new FanoutQueue(this, id, {
      ...options,
      topic: this.topic,
      encryptionKey: this.encryptionKey,
      subscriptionDeadLetterQueue: this.subscriptionDeadLetterQueue,
      alarmTopic: this.props.alarmTopic,
      removalPolicy: this.props.removalPolicy,
    });
    this._alarmSet.include(queue);
    this.queueList.push(queue);
    return queue;
  }

  /** The queues added so far, in order. */
  public get queues(): FanoutQueue[] {
    return [...this.queueList];
  }

  /** Let `grantee` publish to the topic, including the use of its key (kms:GenerateDataKey, kms:Decrypt). */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    // Not topic.grantPublish: it grants kms:GenerateDataKey*, a wildcard publishing does not need.
    const grant = iam.Grant.addToPrincipalOrResource({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn], resource: this.topic });
    this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
    return grant;
  }
}

/** The caller's topic name ('.fifo' appended on a FIFO topic), else one derived from the construct path. */
function physicalTopicName(scope: Construct, topicName: string | undefined, fifo: boolean): string {
  if (topicName !== undefined) return fifo && !Token.isUnresolved(topicName) && !topicName.endsWith('.fifo') ? `${topicName}.fifo` : topicName;
  const generated = Names.uniqueResourceName(scope, { maxLength: fifo ? 251 : 256, separator: '-' });
  return fifo ? `${generated}.fifo` : generated;
}

