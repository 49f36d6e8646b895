import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledgeNagFindings } from '../core/nag';

/**
 * Let SNS use `key` for one topic only: to deliver into queues and dead-letter queues
 * encrypted with it. `topicArn` must not reference a topic encrypted with the same key
 * (the key policy and the topic would depend on each other).
 */
export function allowTopicToUseKey(key: kms.IKey, topicArn: string): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowSnsToDeliverToEncryptedQueues',
    principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'aws:SourceArn': topicArn } },
  }), false);
}

/** Whether `topic` is encrypted with `key`, so that a key statement must not reference it. */
export function topicUsesKey(topic: sns.ITopic, key: kms.IKey): boolean {
  return topic instanceof sns.Topic && topic.masterKey === key;
}

/** Acknowledge the findings that exist because a queue is itself a dead-letter queue. */
export function acknowledgeDeadLetterQueue(queue: sqs.Queue): void {
  const reason = 'This queue is itself a dead-letter queue: it holds failed messages for inspection and redrive, alarms when it is not empty, ' +
    'and a dead-letter queue of its own would only move the same messages one step further.';
  acknowledgeNagFindings(queue, [
    { id: 'AwsSolutions-SQS3', reason },
    { id: 'Serverless-SQSRedrivePolicy', reason },
  ]);
}

