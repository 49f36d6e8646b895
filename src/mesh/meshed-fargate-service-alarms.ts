import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { runningTaskCountMetric } from './running-tasks';
import { ConstructAlarms } from '../core/alarms';

/** What the alarms of a MeshedFargateService watch (internal). */
export interface ServiceAlarmOptions {
  readonly service: ecs.FargateService;
  readonly cluster: ecs.ICluster;
  readonly minCapacity: number;
  readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
}

/** The alarms and the fixed names of those that roll deployments back. */
export interface ServiceAlarms {
  readonly cpuAlarm: cloudwatch.Alarm;
  readonly memoryAlarm: cloudwatch.Alarm;
  readonly runningTasksAlarm?: cloudwatch.Alarm;
  readonly serverErrorAlarm?: cloudwatch.Alarm;
  readonly rollbackAlarmNames: string[];
}

/**
 * CPU, memory, running-task and ALB 5XX alarms. Alarms that roll deployments back get a
 * fixed, path-derived name: the ECS service references them by name, and a generated name
 * would make the service depend on an alarm whose metric depends on the service (a cycle).
 */
export function createServiceAlarms(scope: Construct, alarms: ConstructAlarms, o: ServiceAlarmOptions): ServiceAlarms {
  const minute = Duration.minutes(1);
  const cpuAlarm = alarms.create(scope, 'CpuAlarm', {
    metric: o.service.metricCpuUtilization({ period: minute, statistic: cloudwatch.Stats.AVERAGE }),
    threshold: 90,
    evaluationPeriods: 5,
    description: 'Average CPU of the service stayed at or above 90 % for 5 minutes: check autoscaling limits (maxCapacity) and the task size.',
  });
  const memoryName = fixedName(scope, 'memory');
  const memoryAlarm = alarms.create(scope, 'MemoryAlarm', {
    alarmName: memoryName,
    metric: o.service.metricMemoryUtilization({ period: minute, statistic: cloudwatch.Stats.AVERAGE }),
    threshold: 90,
    evaluationPeriods: 5,
    description: 'Average memory of the service stayed at or above 90 % for 5 minutes (a leak or an undersized task); '
      + 'a deployment in progress rolls back.',
  });
  const rollbackAlarmNames = [memoryName];

  let runningTasksAlarm: cloudwatch.Alarm | undefined;
  if (o.minCapacity >= 1) {
    runningTasksAlarm = alarms.create(scope, 'RunningTasksAlarm', {
      // Container Insights reports running tasks; no data means no task runs at all.
      metric: runningTaskCountMetric(o.cluster, o.service, { statistic: cloudwatch.Stats.MINIMUM }),
      threshold: o.minCapacity,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `Fewer than ${o.minCapacity} tasks (the autoscaling minimum) ran for 5 minutes: tasks fail health checks, `
        + 'crash on start or cannot be placed; see the service events.',
    });
  }

  let serverErrorAlarm: cloudwatch.Alarm | undefined;
  if (o.loadBalancer) {
    const lb = o.loadBalancer.metrics;
    const name = fixedName(scope, '5xx');
    serverErrorAlarm = alarms.create(scope, 'ServerErrorAlarm', {
      alarmName: name,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
        usingMetrics: {
          requests: lb.requestCount({ period: minute }),
          target5xx: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: minute }),
          elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: minute }),
        },
        label: '5XX share of ALB responses (%)',
        period: minute,
      }),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: '5 % or more of the load balancer\'s responses were 5XX in 2 of 3 minutes; a deployment in progress rolls back.',
    });
    rollbackAlarmNames.push(name);
  }
  return { cpuAlarm, memoryAlarm, runningTasksAlarm, serverErrorAlarm, rollbackAlarmNames };
}

/** A stable alarm name unique in the account and region: derived from the construct path. */
function fixedName(scope: Construct, suffix: string): string {
  return `${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}-${suffix}`;
}
