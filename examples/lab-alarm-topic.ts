import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** What a lab's alarm topic is for. */
export interface LabAlarmTopicOptions {
  /** The topic's display name, e.g. `Cross-service lab alarms`. */
  readonly displayName: string;
  /** An email address to subscribe (the learner confirms the subscription mail). */
  readonly email?: string;
}

/**
 * The SNS topic a lab's alarms notify: encrypted with its own key (CloudWatch cannot
 * publish to a topic under the AWS managed SNS key), TLS only, destroyed with the lab.
 * Its construct ids (`AlarmTopicKey`, `AlarmTopic`) are the scope's.
 */
export function createLabAlarmTopic(scope: Construct, options: LabAlarmTopicOptions): sns.Topic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the topic of the ${options.displayName}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  // CloudWatch must encrypt the notifications it publishes to the topic.
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true, displayName: options.displayName });
  if (options.email) topic.addSubscription(new subscriptions.EmailSubscription(options.email));
  return topic;
}
