import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_MAX_MESSAGE_AGE, DEFAULT_MAX_RECEIVE_COUNT } from './fanout-queue-validation';
import { ConstructAlarms } from '../core/alarms';

/** What the alarms of a FanoutQueue watch. */
export interface FanoutQueueAlarmSources {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly maxReceiveCount?: number;
  readonly maxMessageAge?: Duration;
}

/** A message in the dead-letter queue, and messages older than `maxMessageAge`. */
export function createFanoutQueueAlarms(scope: Construct, alarms: ConstructAlarms, o: FanoutQueueAlarmSources):
{ deadLetterAlarm: cloudwatch.Alarm; ageAlarm: cloudwatch.Alarm } {
  const deadLetterAlarm = alarms.create(scope, 'DeadLetterAlarm', {
    metric: o.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 1,
    description: `A message of ${scope.node.path} failed ${o.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT} receives and is in its dead-letter queue: ` +
      'inspect it, fix the consumer, then redrive it (SQS StartMessageMoveTask).',
  });
  const maxAge = o.maxMessageAge ?? DEFAULT_MAX_MESSAGE_AGE;
  const ageAlarm = alarms.create(scope, 'AgeAlarm', {
    metric: o.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: maxAge.toSeconds(),
    description: `The oldest message of ${scope.node.path} is older than ${maxAge.toHumanString()}: its consumers are stopped or falling behind.`,
    evaluationPeriods: 3,
  });
  return { deadLetterAlarm, ageAlarm };
}
