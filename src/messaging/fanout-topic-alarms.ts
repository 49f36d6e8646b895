import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConstructAlarms } from '../core/alarms';

/** Failed SNS deliveries, and messages SNS dead-lettered because it could not deliver them. */
export function createFanoutTopicAlarms(scope: Construct, alarms: ConstructAlarms, topic: sns.ITopic, subscriptionDeadLetterQueue: sqs.IQueue):
{ failedNotificationsAlarm: cloudwatch.Alarm; subscriptionDeadLetterAlarm: cloudwatch.Alarm } {
  const path = scope.node.path;
  return {
    failedNotificationsAlarm: alarms.create(scope, 'FailedNotificationsAlarm', {
      metric: topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: `SNS failed to deliver notifications of ${path} to a queue (it retries; undeliverable messages end in the ` +
        'subscription dead-letter queue): check the queue policies and the key policy.',
    }),
    subscriptionDeadLetterAlarm: alarms.create(scope, 'SubscriptionDeadLetterAlarm', {
      metric: subscriptionDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      description: `SNS could not deliver a message of ${path} to its queue and dead-lettered it: fix the queue or key policy, ` +
        'then move the message to its queue (the SNS MessageId and subscription ARN are in its attributes).',
    }),
  };
}
