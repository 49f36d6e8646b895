import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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

  test('is cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(new SmokeStack(new App(), 'Smoke'), { includeWarnings: true })).toEqual([]);
  });
});
