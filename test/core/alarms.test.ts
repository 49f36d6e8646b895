import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConstructAlarms } from '../../src/core/alarms';

const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Failures' });

describe('ConstructAlarms', () => {
  test('creates an alarm with the library defaults and the given description', () => {
    const stack = new Stack(new App(), 'Stack');
    const alarms = new ConstructAlarms();
    alarms.create(stack, 'Failures', { metric, threshold: 1, description: 'Something failed.' });

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Failures',
      Threshold: 1,
      AlarmDescription: 'Something failed.',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: Match.absent(),
    });
    expect(alarms.alarms).toHaveLength(1);
  });

  test('an alarm topic receives both ALARM and OK notifications', () => {
    const stack = new Stack(new App(), 'Stack');
    const topic = new sns.Topic(stack, 'OnCall');
    new ConstructAlarms(topic).create(stack, 'Failures', { metric, threshold: 1, description: 'd' });

    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('addAlarmAction wires existing and later alarms', () => {
    const stack = new Stack(new App(), 'Stack');
    const topic = new sns.Topic(stack, 'Pager');
    const alarms = new ConstructAlarms();
    alarms.create(stack, 'Before', { metric, threshold: 1, description: 'before' });
    alarms.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    alarms.create(stack, 'After', { metric, threshold: 1, description: 'after' });

    const template = Template.fromStack(stack);
    const wired = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }] },
    });
    expect(Object.keys(wired)).toHaveLength(2);
  });

  test('overrides of operator, periods and missing-data treatment are honoured', () => {
    const stack = new Stack(new App(), 'Stack');
    new ConstructAlarms().create(stack, 'Low', {
      metric,
      threshold: 10,
      description: 'low',
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    });
  });
});
