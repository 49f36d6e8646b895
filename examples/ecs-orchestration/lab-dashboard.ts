import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DeploymentEventRule } from './deployment-events';
import { JobQueue } from './job-queue';
import { JOBS_PROCESSED_METRIC, LAB_METRICS_NAMESPACE, SERVICE_DIMENSION } from './service-settings';
import { MeshedFargateService } from '../../src';

/** What the lab dashboard shows. */
export interface LabDashboardOptions {
  readonly web: MeshedFargateService;
  readonly api: MeshedFargateService;
  readonly worker: MeshedFargateService;
  readonly jobs: JobQueue;
  readonly webRequestsPerTask: cloudwatch.IMetric;
  readonly webRequestsTarget: number;
  readonly workerBacklogTarget: number;
  readonly apiErrors: cloudwatch.IMetric;
  readonly deploymentEvents: Record<'completed' | 'failed', DeploymentEventRule>;
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * One screen for the exercises: both scaling metrics against their targets next to the task
 * counts they drive, target health behind the ALB, the job queue, deployment outcomes and
 * the state of every alarm.
 */
export function createLabDashboard(scope: Construct, o: LabDashboardOptions): cloudwatch.Dashboard {
  const minute = Duration.minutes(1);
  const tasks = (s: MeshedFargateService) => s.metricRunningTaskCount({ label: `${s.serviceName} tasks` });
  const target = (value: number) => [{ value, label: 'scaling target', color: cloudwatch.Color.RED }];
  const backlogPerTask = new cloudwatch.MathExpression({
    expression: 'visible / tasks',
    usingMetrics: {
      visible: o.jobs.queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.SUM, period: minute }),
      tasks: o.worker.metricRunningTaskCount(),
    },
    label: 'Backlog per worker task',
    period: minute,
  });
  const targetGroups = [o.web.targetGroup!, ...(o.web.alternateTargetGroup ? [o.web.alternateTargetGroup] : [])];

  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(1) });
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'web scaling metric: requests per task per minute (app EMF) and web tasks',
      left: [o.webRequestsPerTask],
      leftAnnotations: target(o.webRequestsTarget),
      right: [tasks(o.web)],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'worker scaling metric: backlog per task (SQS depth / running tasks) and worker tasks',
      left: [backlogPerTask],
      leftAnnotations: target(o.workerBacklogTarget),
      right: [tasks(o.worker)],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({ title: 'Running tasks per service', left: [o.web, o.api, o.worker].map(tasks), width: 8 }),
    new cloudwatch.GraphWidget({
      title: 'web target health behind the ALB (blue and green target groups)',
      left: targetGroups.flatMap((tg, i) => [
        tg.metrics.healthyHostCount({ label: `healthy (${i === 0 ? 'blue' : 'green'})`, period: minute }),
        tg.metrics.unhealthyHostCount({ label: `unhealthy (${i === 0 ? 'blue' : 'green'})`, period: minute }),
      ]),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Job queue',
      left: [
        o.jobs.queue.metricApproximateNumberOfMessagesVisible({ label: 'waiting', period: minute }),
        o.jobs.queue.metricApproximateNumberOfMessagesNotVisible({ label: 'in flight', period: minute }),
        o.jobs.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead-lettered', period: minute }),
      ],
      right: [new cloudwatch.Metric({
        namespace: LAB_METRICS_NAMESPACE,
        metricName: JOBS_PROCESSED_METRIC,
        dimensionsMap: { [SERVICE_DIMENSION]: 'worker' },
        statistic: cloudwatch.Stats.SUM,
        period: minute,
        label: 'jobs done per minute',
      })],
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Deployment events (EventBridge matches)',
      left: [o.deploymentEvents.completed.matches, o.deploymentEvents.failed.matches],
      width: 8,
    }),
    new cloudwatch.GraphWidget({ title: 'api calls that failed, seen by web (api rollback alarm)', left: [o.apiErrors], width: 8 }),
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: o.alarms, width: 8 }),
  );
  return dashboard;
}
