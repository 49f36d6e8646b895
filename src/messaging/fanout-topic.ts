import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AddQueueOptions, FanoutQueue } from './fanout-queue';
import { checkQueueOptions, DEFAULT_DEAD_LETTER_RETENTION, SQS_MAX_RETENTION, SQS_MIN_RETENTION } from './queue-options-check';
import { acknowledgeDeadLetterQueue, allowTopicToUseKey } from './subscription-helpers';
import { ConstructAlarms } from '../core/alarms';
import { createEncryptionKey, withoutSnapshot } from '../core/defaults';
import { PropsValidator } from '../core/validation';

/** Settings of a {@link FanoutTopic}. */
export interface FanoutTopicProps {
  /**
   * Name of the topic. On a FIFO topic '.fifo' is appended when missing.
   * @default - derived from the construct path (the key policy names the topic's ARN, so it is known at synth)
   */
  readonly topicName?: string;

  /**
   * Display name of the topic.
   * @default - none
   */
  readonly displayName?: string;

  /**
   * Make the topic and every queue FIFO: ordered per message group, de-duplicated by
   * content (content-based deduplication), with FIFO dead-letter queues.
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * The key that encrypts the topic, every queue and every dead-letter queue. SNS must be
   * allowed to use it (kms:GenerateDataKey*, kms:Decrypt) to deliver to encrypted queues:
   * the construct adds that to the key policy of a key defined in this app; an imported
   * key's policy must already allow it. The AWS-managed SQS key cannot be used.
   * @default - a new customer-managed key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Where SNS puts messages it could not deliver to any of the queues (the redrive policy
   * of every subscription); FIFO if the topic is FIFO.
   * @default - a new encrypted queue
   */
  readonly subscriptionDeadLetterQueue?: sqs.IQueue;

  /**
   * Retention of the subscription dead-letter queue the construct creates (60 seconds to 14 days).
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;

  /** Every alarm notifies this topic (ALARM and OK). @default - no alarm actions */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Removal policy of the key, the queues and the dead-letter queues.
   * @default RemovalPolicy.RETAIN - messages and the key that decrypts them outlive the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

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
export class FanoutTopic extends Construct {
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
  private readonly constructAlarms: ConstructAlarms;
  private readonly queueList: FanoutQueue[] = [];
  private readonly extraAlarmActions: cloudwatch.IAlarmAction[] = [];

  constructor(scope: Construct, id: string, props: FanoutTopicProps = {}) {
    super(scope, id);
    this.props = props;
    this.fifo = props.fifo ?? false;
    validateTopicProps(this, props, this.fifo);

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
      enforceSSL: true,
      signatureVersion: '2',
    });
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

    this.constructAlarms = new ConstructAlarms(props.alarmTopic);
    this.failedNotificationsAlarm = this.constructAlarms.create(this, 'FailedNotificationsAlarm', {
      metric: this.topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: `SNS failed to deliver notifications of ${this.node.path} to a queue (it retries; undeliverable messages end in the ` +
        'subscription dead-letter queue): check the queue policies and the key policy.',
    });
    this.subscriptionDeadLetterAlarm = this.constructAlarms.create(this, 'SubscriptionDeadLetterAlarm', {
      metric: this.subscriptionDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      description: `SNS could not deliver a message of ${this.node.path} to its queue and dead-lettered it: fix the queue or key policy, ` +
        'then move the message to its queue (the SNS MessageId and subscription ARN are in its attributes).',
    });
  }

  /**
   * Subscribe a new queue, with its own dead-letter queue, alarms and optional consumer.
   * Every problem with `options` is reported in one error.
   */
  public addQueue(id: string, options: AddQueueOptions = {}): FanoutQueue {
    const v = new PropsValidator(this, `FanoutTopic.addQueue('${id}')`);
    const existing = this.node.tryFindChild(id);
    if (existing instanceof FanoutQueue) v.fail('id', 'must be unique among the queues of this FanoutTopic', id);
    else if (existing) v.fail('id', `must not be one of the ids the FanoutTopic uses itself (${this.node.children.map((c) => c.node.id).join(', ')})`, id);
    checkQueueOptions(v, options, { fifo: this.fifo });
    v.throwIfInvalid();

    const queue = new FanoutQueue(this, id, {
      ...options,
      topic: this.topic,
      encryptionKey: this.encryptionKey,
      subscriptionDeadLetterQueue: this.subscriptionDeadLetterQueue,
      alarmTopic: this.props.alarmTopic,
      removalPolicy: this.props.removalPolicy,
    });
    if (this.extraAlarmActions.length > 0) queue.addAlarmAction(...this.extraAlarmActions);
    this.queueList.push(queue);
    return queue;
  }

  /** The queues added so far, in order. */
  public get queues(): FanoutQueue[] {
    return [...this.queueList];
  }

  /** Every alarm: the topic's, the subscription DLQ's and each queue's. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.constructAlarms.alarms, ...this.queueList.flatMap((q) => q.alarms)];
  }

  /** Wire actions to every alarm, including those of queues added later (ALARM and OK). */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.extraAlarmActions.push(...actions);
    this.constructAlarms.addAlarmAction(...actions);
    for (const queue of this.queueList) queue.addAlarmAction(...actions);
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

function validateTopicProps(scope: Construct, props: FanoutTopicProps, fifo: boolean): void {
  const v = new PropsValidator(scope, 'FanoutTopic');
  const name = props.topicName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    if (name.endsWith('.fifo') && !fifo) {
      v.fail('topicName', "must not end in '.fifo' unless fifo is true (FIFO mismatch)", name);
    } else {
      v.matches('topicName', name, fifo ? /^[A-Za-z0-9_-]{1,251}(\.fifo)?$/ : /^[A-Za-z0-9_-]{1,256}$/,
        `1 to ${fifo ? "251 letters, digits, '-' or '_' (plus '.fifo')" : "256 letters, digits, '-' or '_'"}`);
    }
  }
  const dlq = props.subscriptionDeadLetterQueue;
  if (dlq) {
    v.check(dlq.fifo === fifo, 'subscriptionDeadLetterQueue', `must be a ${fifo ? 'FIFO' : 'standard'} queue like the topic (FIFO mismatch)`,
      dlq.fifo ? 'a FIFO queue' : 'a standard queue');
    v.check(props.deadLetterRetentionPeriod === undefined, 'deadLetterRetentionPeriod',
      'applies only to a subscription dead-letter queue the construct creates; set it on the subscriptionDeadLetterQueue you pass instead',
      props.deadLetterRetentionPeriod);
  }
  v.durationInRange('deadLetterRetentionPeriod', props.deadLetterRetentionPeriod, SQS_MIN_RETENTION, SQS_MAX_RETENTION);
  v.throwIfInvalid();
}
