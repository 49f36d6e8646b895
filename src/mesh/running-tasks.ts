import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * Tasks of a service in the RUNNING state, per minute, from Container Insights (the mesh
 * turns it on). No data means no task ran at all.
 */
export function runningTaskCountMetric(cluster: ecs.ICluster, service: ecs.IBaseService, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionsMap: { ClusterName: cluster.clusterName, ServiceName: service.serviceName },
    period: Duration.minutes(1),
    statistic: cloudwatch.Stats.AVERAGE,
    ...options,
  });
}
