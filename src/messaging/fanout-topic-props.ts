import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LifecycleProps } from '../core/shared-props';

/**
 * Properties of a {@link FanoutTopic}. `encryptionKey` encrypts the topic, every queue and
 * every dead-letter queue; SNS must be allowed to use it (kms:GenerateDataKey*, kms:Decrypt)
 * to deliver to encrypted queues: the construct adds that to the key policy of a key
 * defined in this app, an imported key's policy must already allow it, and the AWS-managed
 * SQS key cannot be used. `removalPolicy` applies to the key, the queues and the dead-letter queues.
 */
export interface FanoutTopicProps extends LifecycleProps {
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

  /**
   * The SNS topic every alarm of the construct notifies, on ALARM and on OK.
   * @default - no topic: alarms notify nobody until `addAlarmAction` wires an action
   */
  readonly alarmTopic?: sns.ITopic;
}

