import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Denies every SNS action on `topic` to every principal over plain HTTP. aws-cdk-lib's
 * `enforceSSL` denies `sns:Publish` only, which leaves subscribing, reading and changing the
 * topic's attributes open over plaintext; SQS's `enforceSSL` already denies `sqs:*`.
 */
export function denyTopicAccessWithoutTls(topic: sns.ITopic): void {
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyEveryActionWithoutTls',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['sns:*'],
    resources: [topic.topicArn],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  }));
}
