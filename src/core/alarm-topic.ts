import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { createEncryptionKey } from './defaults';
import { denyTopicAccessWithoutTls } from './tls-only';

/** Properties of an {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /**
   * Email addresses subscribed to the topic (each confirms the subscription mail first).
   * @default - no subscription
   */
  readonly emailAddresses?: string[];
  /**
   * The topic's display name (the sender name of its emails).
   * @default - no display name
   */
  readonly displayName?: string;
  /**
   * The key that encrypts the notifications. A key created in the app gets the key-policy
   * statement CloudWatch needs; an imported key's policy must already allow it.
   * @default - a new customer-managed key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to a key the construct creates when it leaves the stack.
   * @default - retained
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An SNS topic for the `alarmTopic` of the library's constructs. CloudWatch cannot publish
 * to a topic encrypted with the AWS managed SNS key, so the topic uses a customer-managed
 * key, and CloudWatch may use key and topic only on behalf of alarms of this account (no
 * confused deputy). Every request without TLS is denied.
 *
 * @example
 * import { AlarmTopic, FanoutTopic } from 'cdk-service-integration';
 *
 * const alarms = new AlarmTopic(this, 'Alarms', { emailAddresses: ['oncall@example.com'] });
 * new FanoutTopic(this, 'OrderEvents', { alarmTopic: alarms.topic });
 */
export class AlarmTopic extends Construct {
  /** The topic alarms notify. */
  public readonly topic: sns.Topic;
  /** The key encrypting the notifications: `encryptionKey`, or the one the construct created. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the alarm notifications of ${this.node.path}`,
      removalPolicy: props.removalPolicy,
    });
    this.topic = new sns.Topic(this, 'Topic', { displayName: props.displayName, masterKey: this.encryptionKey });
    denyTopicAccessWithoutTls(this.topic);

    const stack = Stack.of(this);
    const alarmsOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [cloudWatch],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: alarmsOfThisAccount,
    }));
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [cloudWatch],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: alarmsOfThisAccount,
    }));
    for (const address of props.emailAddresses ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(address));
  }
}
