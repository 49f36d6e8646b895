import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * A lab's alarm topic: encrypted with its own KMS key (CloudWatch cannot publish to a topic
 * under the AWS-managed SNS key), TLS-only, deleted with the stack, and optionally
 * subscribed by email (the subscription must be confirmed from the mail).
 */
export function createLabAlarmTopic(scope: Construct, options: { displayName: string; keyDescription: string; email?: string }): sns.Topic {
  const { displayName, email } = options;
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: options.keyDescription,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  // CloudWatch must encrypt the notifications it publishes to the topic.
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true, displayName });
  if (email) topic.addSubscription(new subscriptions.EmailSubscription(email));
  return topic;
}
