import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmTopic } from '../../src';
import { keyArnOf, keyPolicySids } from '../helpers/encryption';
import { unacknowledgedNagFindings } from '../helpers/nag';

const ALARMS_OF_THIS_ACCOUNT = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] },
  },
};

function build(props: ConstructorParameters<typeof AlarmTopic>[2] = {}) {
  const stack = new Stack(new App(), 'Stack');
  const alarms = new AlarmTopic(stack, 'Alarms', props);
  return { stack, alarms, template: Template.fromStack(stack) };
}

describe('AlarmTopic', () => {
  test('encrypts notifications with a new rotating key that CloudWatch may use only for alarms of this account', () => {
    const { stack, alarms, template } = build();
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArnOf(stack, alarms.encryptionKey) });
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    expect(statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com')).toEqual([{
      Sid: 'AllowCloudWatchAlarmsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: ALARMS_OF_THIS_ACCOUNT,
    }]);
    // a key of the library: grants only for AWS resources
    expect(keyPolicySids(template, stack, alarms.encryptionKey)).toContain('DenyGrantsNotForAwsResources');
  });

  test('the topic policy lets alarms of this account publish and denies every action without TLS', () => {
    const { stack, alarms, template } = build();
    const topicRef = { Ref: stack.getLogicalId(alarms.topic.node.defaultChild as sns.CfnTopic) };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:*', Resource: topicRef, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topicRef, Condition: ALARMS_OF_THIS_ACCOUNT,
          }),
        ]),
      },
    });
  });

  test('a key passed in is used and gets the CloudWatch statement; emails are subscribed; DESTROY applies to the key', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'LabKey', { enableKeyRotation: true });
    const alarms = new AlarmTopic(stack, 'Alarms', {
      encryptionKey: key, emailAddresses: ['oncall@example.com'], displayName: 'Lab alarms', removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    expect(alarms.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(keyPolicySids(template, stack, key)).toContain('AllowCloudWatchAlarmsOfThisAccount');
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Lab alarms', KmsMasterKeyId: keyArnOf(stack, key) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });

    const destroyed = build({ removalPolicy: RemovalPolicy.DESTROY }).template;
    destroyed.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
  });

  test('is cdk-nag clean with an alarm notifying it', () => {
    const { stack, alarms } = build();
    new cloudwatch.Alarm(stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
    }).addAlarmAction(new cloudwatchActions.SnsAction(alarms.topic));
    expect(unacknowledgedNagFindings(stack, { includeWarnings: true })).toEqual([]);
  });
});
