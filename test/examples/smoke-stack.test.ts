import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SmokeStack } from '../../examples/smoke/smoke-stack';
import { unacknowledgedNagFindings } from '../helpers/nag';

describe('SmokeStack', () => {
  test('deploys the bundled echo handler with an error alarm', () => {
    const stack = new SmokeStack(new App(), 'Smoke');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('the error alarm notifies an encrypted alarm topic whose key also encrypts the echo log group', () => {
    const stack = new SmokeStack(new App(), 'Smoke');
    const template = Template.fromStack(stack);
    const topicRef = { Ref: stack.getLogicalId(stack.alarmTopic.node.defaultChild as sns.CfnTopic) };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', AlarmActions: [topicRef], OKActions: [topicRef] });
    template.resourceCountIs('AWS::KMS::Key', 1);
    const keyArn = Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
  });

  test('is cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(new SmokeStack(new App(), 'Smoke'), { includeWarnings: true })).toEqual([]);
  });
});
