import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * The topic every alarm of a lab notifies: encrypted with its own key (which CloudWatch
 * may use to publish), TLS only, deleted with the lab, and optionally mailed to `email`
 * (the learner confirms the subscription mail).
 *
 * @param labName as the guide names the lab, e.g. `Cross-service lab`
 */
export function createLabAlarmTopic(scope: Construct, labName: string, email?: string): sns.Topic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the ${labName.toLowerCase()} alarm topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  // CloudWatch must encrypt the notifications it publishes to the topic.
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true, displayName: `${labName} alarms` });
  if (email) topic.addSubscription(new subscriptions.EmailSubscription(email));
  return topic;
}
