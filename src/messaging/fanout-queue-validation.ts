import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { AddQueueOptions, FanoutQueueProps } from './fanout-queue-props';
import { checkFilterPolicies } from './filter-policy-limits';
import { PropsValidator } from '../core/validation';

// SQS and Lambda limits the options are checked against.
export const SQS_MIN_RETENTION = Duration.seconds(60);
export const SQS_MAX_RETENTION = Duration.days(14);
export const SQS_MAX_VISIBILITY_TIMEOUT = Duration.hours(12);
export const MAX_QUEUE_NAME_LENGTH = 80;
export const DEAD_LETTER_SUFFIX = '-dlq';
const FIFO_SUFFIX = '.fifo';

/** Retention of a subscribed queue unless set: SQS's own default, four days. */
export const DEFAULT_RETENTION = Duration.days(4);
/** Retention of every dead-letter queue the library creates unless set: the SQS maximum. */
export const DEFAULT_DEAD_LETTER_RETENTION = Duration.days(14);
/** Age of the oldest message above which a queue alarms unless set. */
export const DEFAULT_MAX_MESSAGE_AGE = Duration.minutes(15);
/** maxReceiveCount unless set: AWS recommends at least 5 so transient failures do not dead-letter. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** Lambda's default timeout, used when a concrete function does not set one. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);
/** Lambda's maximum timeout: the visibility timeout that fits any consumer whose timeout is unknown. */
export const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);
/** AWS: set the source queue's visibility timeout to at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The timeout of a consumer when the construct can know it (a lambda.Function defined in this app). */
export function knownConsumerTimeout(consumer: lambda.IFunction | undefined): Duration | undefined {
  if (!(consumer instanceof lambda.Function)) return undefined;
  const timeout = consumer.timeout ?? LAMBDA_DEFAULT_TIMEOUT;
  return timeout.isUnresolved() ? undefined : timeout;
}

/**
 * The visibility timeout a queue gets when the caller sets none: six times a known consumer
 * timeout (at least 30 s), Lambda's maximum timeout for a consumer whose timeout is unknown
 * (so the event source mapping always deploys), and SQS's 30 s without a consumer.
 */
export function defaultVisibilityTimeout(consumer: lambda.IFunction | undefined): Duration {
  if (!consumer) return Duration.seconds(30);
  const timeout = knownConsumerTimeout(consumer);
  if (!timeout) return LAMBDA_MAX_TIMEOUT;
  return Duration.seconds(Math.max(30, timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR));
}

/** What the checks need to know about the topic the queue subscribes to. */
export interface QueueCheckContext {
  readonly fifo: boolean;
}

/** Every problem of a FanoutQueue's props in one error. */
export function validateFanoutQueueProps(scope: Construct, props: FanoutQueueProps, fifo: boolean): void {
  const v = new PropsValidator(scope, 'FanoutQueue');
  checkQueueOptions(v, props, { fifo });
  const subscriptionDlq = props.subscriptionDeadLetterQueue;
  if (subscriptionDlq) {
    v.check(subscriptionDlq.fifo === fifo, 'subscriptionDeadLetterQueue', `must be a ${fifo ? 'FIFO' : 'standard'} queue like the topic (FIFO mismatch)`,
      subscriptionDlq.fifo ? 'a FIFO queue' : 'a standard queue');
  }
  v.throwIfInvalid();
}

/** Record every problem of one queue's options in `v`. */
export function checkQueueOptions(v: PropsValidator, options: AddQueueOptions, context: QueueCheckContext): void {
  const { fifo } = context;
  v.integerInRange('maxReceiveCount', options.maxReceiveCount, 1, 1000);
  v.durationInRange('visibilityTimeout', options.visibilityTimeout, Duration.seconds(0), SQS_MAX_VISIBILITY_TIMEOUT);
  v.durationInRange('retentionPeriod', options.retentionPeriod, SQS_MIN_RETENTION, SQS_MAX_RETENTION);
  v.durationInRange('deadLetterRetentionPeriod', options.deadLetterRetentionPeriod, SQS_MIN_RETENTION, SQS_MAX_RETENTION);
  checkQueueName(v, options.queueName, fifo);
  checkDeadLetterQueue(v, options, fifo);
  checkFilterPolicies(v, options.filterPolicy, options.filterPolicyWithMessageBody);
  checkConsumer(v, options, fifo);
  checkAgeAlarm(v, options);
}

function checkQueueName(v: PropsValidator, queueName: string | undefined, fifo: boolean): void {
  if (queueName === undefined || Token.isUnresolved(queueName)) return;
  const endsFifo = queueName.endsWith(FIFO_SUFFIX);
  if (endsFifo && !fifo) {
    v.fail('queueName', "must not end in '.fifo' because the topic is not FIFO (FIFO mismatch)", queueName);
    return;
  }
  // The dead-letter queue is named <base>-dlq[.fifo]; both names must fit SQS's 80 characters.
  const maxBase = MAX_QUEUE_NAME_LENGTH - DEAD_LETTER_SUFFIX.length - (fifo ? FIFO_SUFFIX.length : 0);
  v.matches('queueName', queueName, new RegExp(`^[A-Za-z0-9_-]{1,${maxBase}}${fifo ? '(\\.fifo)?' : ''}$`),
    `1 to ${maxBase} letters, digits, '-' or '_'${fifo ? " (optionally followed by '.fifo')" : ''}, ` +
    `so that it and its dead-letter queue '<name>${DEAD_LETTER_SUFFIX}' fit SQS's ${MAX_QUEUE_NAME_LENGTH} characters`);
}

function checkDeadLetterQueue(v: PropsValidator, options: AddQueueOptions, fifo: boolean): void {
  const dlq = options.deadLetterQueue;
  if (dlq) {
    v.check(dlq.fifo === fifo, 'deadLetterQueue', `must be a ${fifo ? 'FIFO' : 'standard'} queue like the queue it serves (FIFO mismatch)`,
      dlq.fifo ? 'a FIFO queue' : 'a standard queue');
    v.check(options.deadLetterRetentionPeriod === undefined, 'deadLetterRetentionPeriod',
      'applies only to a dead-letter queue the construct creates; set the retention on the deadLetterQueue you pass instead',
      options.deadLetterRetentionPeriod);
    return;
  }
  // A standard queue keeps a message's original enqueue time when it moves to the DLQ, so a
  // DLQ with a shorter retention silently deletes dead letters early.
  const retention = options.retentionPeriod ?? DEFAULT_RETENTION;
  const dlqRetention = options.deadLetterRetentionPeriod ?? DEFAULT_DEAD_LETTER_RETENTION;
  if (!fifo && !retention.isUnresolved() && !dlqRetention.isUnresolved() && dlqRetention.toSeconds() < retention.toSeconds()) {
    v.fail('deadLetterRetentionPeriod',
      `must be at least the queue's retentionPeriod (${retention.toHumanString()}): a dead letter keeps its original enqueue time and would expire early`,
      dlqRetention);
  }
}

function checkConsumer(v: PropsValidator, options: AddQueueOptions, fifo: boolean): void {
  const consumer = options.consumer;
  if (!consumer) {
    for (const [prop, value] of [['batchSize', options.batchSize], ['maxBatchingWindow', options.maxBatchingWindow], ['maxConcurrency', options.maxConcurrency]] as const) {
      v.check(value === undefined, prop, 'applies only to a queue with a consumer; set consumer or remove it', value);
    }
    return;
  }
  if (fifo) {
    v.integerInRange('batchSize', options.batchSize, 1, 10);
    v.check(options.maxBatchingWindow === undefined, 'maxBatchingWindow', 'is not supported for FIFO queues (Lambda limit)', options.maxBatchingWindow);
  } else {
    const withWindow = options.maxBatchingWindow !== undefined;
    if (withWindow) {v.integerInRange('batchSize', options.batchSize, 1, 10000);} else if (options.batchSize !== undefined && !Token.isUnresolved(options.batchSize)) {
      v.check(Number.isInteger(options.batchSize) && options.batchSize >= 1 && options.batchSize <= 10, 'batchSize',
        'must be an integer between 1 and 10 without a maxBatchingWindow (up to 10000 with one)', options.batchSize);
    }
    v.durationInRange('maxBatchingWindow', options.maxBatchingWindow, Duration.seconds(0), Duration.seconds(300));
  }
  v.integerInRange('maxConcurrency', options.maxConcurrency, 2, 1000);

  const timeout = knownConsumerTimeout(consumer);
  const visibility = options.visibilityTimeout;
  if (timeout && visibility && !visibility.isUnresolved()) {
    const required = timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
    v.check(visibility.toSeconds() >= required, 'visibilityTimeout',
      `must be at least ${VISIBILITY_TIMEOUT_FACTOR} times the consumer's timeout (${VISIBILITY_TIMEOUT_FACTOR} x ${timeout.toHumanString()} = ` +
      `${Duration.seconds(required).toHumanString()}), so that a message is not redelivered while a retried batch still runs`,
      visibility);
  }
}

function checkAgeAlarm(v: PropsValidator, options: AddQueueOptions): void {
  const threshold = options.maxMessageAge;
  const retention = options.retentionPeriod ?? DEFAULT_RETENTION;
  v.durationInRange('maxMessageAge', threshold, Duration.minutes(1), SQS_MAX_RETENTION);
  if (threshold && !threshold.isUnresolved() && !retention.isUnresolved() && threshold.toSeconds() >= retention.toSeconds()) {
    v.fail('maxMessageAge', `must be shorter than the queue's retentionPeriod (${retention.toHumanString()}), or the alarm can never fire`, threshold);
  }
}

