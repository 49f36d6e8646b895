import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { build, invalid } from './mesh-fixture';

const visible = new cloudwatch.Metric({
  namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensionsMap: { QueueName: 'jobs' }, statistic: 'Sum',
});
const running = new cloudwatch.Metric({
  namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensionsMap: { ClusterName: 'lab', ServiceName: 'worker' }, statistic: 'Average',
});
const backlogPerTask = new cloudwatch.MathExpression({
  expression: 'visible / running', usingMetrics: { visible, running }, label: 'Backlog per task',
});

describe('MeshedFargateService: target tracking on metric math', () => {
  test('backlog per task becomes the policy\'s metric queries, the expression returning the data', () => {
    const autoscaling = { minCapacity: 1, maxCapacity: 4, cpuTarget: 80, customMetric: { metric: backlogPerTask, target: 30 } };
    const { template } = build({ autoscaling });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: Match.stringLikeRegexp('OrdersServiceTaskCountTarget') },
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 30,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
        CustomizedMetricSpecification: {
          Metrics: [
            {
              Id: 'visible',
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: 'jobs' }] },
                Stat: 'Sum',
              },
            },
            {
              Id: 'running',
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: [{ Name: 'ClusterName', Value: 'lab' }, { Name: 'ServiceName', Value: 'worker' }] },
                Stat: 'Average',
              },
            },
            { Id: 'tracked', Expression: 'visible / running', Label: 'Backlog per task', ReturnData: true },
          ],
        },
      },
    });
  });

  test('nested expressions are rendered once each, and the result id avoids the caller\'s ids', () => {
    const safeRunning = new cloudwatch.MathExpression({ expression: 'MAX([running, tracked])', usingMetrics: { running, tracked: running } });
    const metric = new cloudwatch.MathExpression({ expression: 'visible / safe', usingMetrics: { visible, safe: safeRunning } });
    const { template } = build({ autoscaling: { minCapacity: 1, maxCapacity: 4, cpuTarget: 80, customMetric: { metric, target: 10 } } });
    const [policy] = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', {
      Properties: { TargetTrackingScalingPolicyConfiguration: { CustomizedMetricSpecification: { Metrics: Match.anyValue() } } },
    }));
    const queries = policy.Properties.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics;
    expect(queries.map((q: { Id: string; ReturnData: boolean }) => [q.Id, q.ReturnData])).toEqual([
      ['visible', false], ['running', false], ['tracked', false], ['safe', false], ['tracked1', true],
    ]);
  });

  test('a direct metric still goes through aws-cdk-lib\'s own target tracking', () => {
    build({ autoscaling: { minCapacity: 1, maxCapacity: 4, cpuTarget: 80, customMetric: { metric: visible, target: 100 } } })
      .template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: 100,
          CustomizedMetricSpecification: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: 'jobs' }], Statistic: 'Sum' },
        }),
      });
  });

  test('perTask divides a shared metric by the service\'s own running tasks (backlog per task)', () => {
    const autoscaling = { minCapacity: 1, maxCapacity: 4, cpuTarget: 80, customMetric: { metric: visible, target: 10, perTask: true } };
    const { template, stack, service } = build({ autoscaling });
    const [policy] = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', {
      Properties: { TargetTrackingScalingPolicyConfiguration: { CustomizedMetricSpecification: { Metrics: Match.anyValue() } } },
    }));
    const spec = policy.Properties.TargetTrackingScalingPolicyConfiguration;
    expect(spec.TargetValue).toBe(10);
    const clusterRef = { Ref: stack.getLogicalId(service.mesh.cluster.node.defaultChild as ecs.CfnCluster) };
    const serviceName = { 'Fn::GetAtt': [stack.getLogicalId(service.service.node.defaultChild as ecs.CfnService), 'Name'] };
    expect(spec.CustomizedMetricSpecification.Metrics).toEqual([
      expect.objectContaining({ Id: 'shared', ReturnData: false, MetricStat: expect.objectContaining({ Stat: 'Sum' }) }),
      {
        Id: 'tasks',
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: [{ Name: 'ClusterName', Value: clusterRef }, { Name: 'ServiceName', Value: serviceName }] },
          Stat: 'Average',
        },
      },
      { Id: 'tracked', Expression: 'shared / tasks', Label: 'per running task', ReturnData: true },
    ]);
    expect(invalid({ autoscaling: { ...autoscaling, minCapacity: 0 } }))
      .toMatch(/autoscaling.customMetric.perTask needs autoscaling.minCapacity of at least 1 \(with no running task there is nothing to divide by\), got 0/);
  });

  test('rejects what target tracking cannot read, naming the metric in the expression', () => {
    const p99 = new cloudwatch.Metric({ namespace: 'App', metricName: 'Latency', statistic: 'p99' });
    const elsewhere = new cloudwatch.Metric({ namespace: 'App', metricName: 'Jobs', account: '111122223333' });
    const metric = new cloudwatch.MathExpression({ expression: 'lat + jobs', usingMetrics: { lat: p99, jobs: elsewhere } });
    const message = invalid({ autoscaling: { minCapacity: 1, maxCapacity: 4, cpuTarget: 80, customMetric: { metric, target: 10 } } });
    expect(message).toMatch(/autoscaling.customMetric cannot be tracked: metric.lat uses statistic 'p99'; target tracking accepts Average, Minimum, Maximum, SampleCount, Sum/);
    expect(message).toMatch(/autoscaling.customMetric cannot be tracked: metric.jobs \(App\/Jobs\) names another account or region/);
    const search = new cloudwatch.MathExpression({ expression: "SUM(SEARCH('{AWS/SQS} MetricName=\"NumberOfMessagesSent\"', 'Sum'))", usingMetrics: {} });
    expect(invalid({ autoscaling: { minCapacity: 1, maxCapacity: 4, cpuTarget: 80, customMetric: { metric: search, target: 10 } } }))
      .toMatch(/autoscaling.customMetric cannot be tracked: metric uses SEARCH/);
  });
});
