import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FanoutQueue } from './fanout-queue';
import type { AddQueueOptions } from './fanout-queue-props';
import { checkQueueOptions, SQS_MAX_RETENTION, SQS_MIN_RETENTION } from './fanout-queue-validation';
import type { FanoutTopicProps } from './fanout-topic-props';
import { PropsValidator } from '../core/validation';

/** Every problem of a FanoutTopic's props in one error. */
export function validateFanoutTopicProps(scope: Construct, props: FanoutTopicProps, fifo: boolean): void {
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

/** Every problem of one `addQueue` call in one error. */
export function validateAddQueue(topic: Construct, id: string, options: AddQueueOptions, fifo: boolean): void {
  const v = new PropsValidator(topic, `FanoutTopic.addQueue('${id}')`);
  const existing = topic.node.tryFindChild(id);
  if (existing instanceof FanoutQueue) v.fail('id', 'must be unique among the queues of this FanoutTopic', id);
  else if (existing) v.fail('id', `must not be one of the ids the FanoutTopic uses itself (${topic.node.children.map((c) => c.node.id).join(', ')})`, id);
  checkQueueOptions(v, options, { fifo });
  v.throwIfInvalid();
}
