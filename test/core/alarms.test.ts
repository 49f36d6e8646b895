import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmedConstruct } from '../../src';
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

  test('a part\'s alarms count as the owner\'s, and actions added before and after reach the part but not the owner\'s topic twice', () => {
    const stack = new Stack(new App(), 'Stack');
    const topic = new sns.Topic(stack, 'OnCall');
    const pager = new sns.Topic(stack, 'Pager');
    const later = new sns.Topic(stack, 'Later');
    const owner = new ConstructAlarms(topic);
    owner.create(stack, 'Owner', { metric, threshold: 1, description: 'owner' });
    owner.addAlarmAction(new cloudwatchActions.SnsAction(pager));
    const part = new ConstructAlarms(topic);
    part.create(stack, 'Part', { metric, threshold: 1, description: 'part' });
    owner.include(part);
    owner.addAlarmAction(new cloudwatchActions.SnsAction(later));

    expect(owner.alarms).toHaveLength(2);
    const ref = (t: sns.Topic) => ({ Ref: stack.getLogicalId(t.node.defaultChild as sns.CfnTopic) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'part',
      AlarmActions: [ref(topic), ref(pager), ref(later)],
    });
  });
});

describe('AlarmedConstruct', () => {
  class Watched extends AlarmedConstruct {
    constructor(scope: Stack, topic?: sns.ITopic) {
      super(scope, 'Watched', topic);
      this._alarmSet.create(this, 'Failures', { metric, threshold: 1, description: 'watched' });
    }
  }

  test('exposes its alarms and wires actions added later to them', () => {
    const stack = new Stack(new App(), 'Stack');
    const watched = new Watched(stack);
    const pager = new sns.Topic(stack, 'Pager');
    watched.addAlarmAction(new cloudwatchActions.SnsAction(pager));
    expect(watched.alarms).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) }],
    });
  });
});
