import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createFunctionErrorsAlarm } from '../function-errors-alarm';

const PERIOD = Duration.minutes(1);

function apiMetric(apiName: string, stage: string, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiName: apiName, Stage: stage },
    statistic,
    period: PERIOD,
    label: `${stage} ${metricName}`,
  });
}

/** Five or more failed orders invocations in 5 minutes (answers such as 400/404 are not failures). */
export function createOrdersErrorsAlarm(scope: Construct, orders: lambda.IFunction, topic: sns.ITopic): cloudwatch.Alarm {
  return createFunctionErrorsAlarm(scope, 'OrdersErrorsAlarm', orders, topic,
    'The orders function failed 5 or more invocations in 5 minutes (callers got 502): see its log.');
}

/**
 * One row per stage: requests with 4XX and 5XX, latency against integration latency (the
 * difference is API Gateway's own time, authorizer included), and cache hits against misses
 * (zero on a stage without the cache). Then every alarm's state.
 */
export function createLabDashboard(scope: Construct, apiName: string, stages: string[], alarms: cloudwatch.IAlarm[]): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(1) });
  for (const stage of stages) {
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${stage}: requests, 4XX and 5XX`,
        width: 8,
        left: [apiMetric(apiName, stage, 'Count', 'Sum'), apiMetric(apiName, stage, '4XXError', 'Sum'), apiMetric(apiName, stage, '5XXError', 'Sum')],
      }),
      new cloudwatch.GraphWidget({
        title: `${stage}: latency vs integration latency (p90, ms)`,
        width: 8,
        left: [apiMetric(apiName, stage, 'Latency', 'p90'), apiMetric(apiName, stage, 'IntegrationLatency', 'p90')],
      }),
      new cloudwatch.GraphWidget({
        title: `${stage}: cache hits and misses`,
        width: 8,
        left: [apiMetric(apiName, stage, 'CacheHitCount', 'Sum'), apiMetric(apiName, stage, 'CacheMissCount', 'Sum')],
      }),
    );
  }
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 }));
  return dashboard;
}
