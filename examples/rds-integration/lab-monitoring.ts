import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ProxiedDatabase } from '../../src';
import { createFunctionErrorsAlarm } from '../function-errors-alarm';

const PERIOD = Duration.minutes(1);
// Where the library's handlers publish their metrics (Powertools, dimension `service`).
const HANDLER_NAMESPACE = 'CdkServiceIntegration';

/** Five or more failed items API invocations in 5 minutes (validation answers are not failures: they return 4xx). */
export function createItemsApiErrorsAlarm(scope: Construct, itemsApi: lambda.IFunction, topic: sns.ITopic): cloudwatch.Alarm {
  return createFunctionErrorsAlarm(scope, 'ItemsApiErrorsAlarm', itemsApi, topic,
    'The items API failed 5 or more invocations in 5 minutes (timeouts or crashes; answers such as 503 are not failures): see its log.');
}

function stormMetric(metricName: string, target: 'proxy' | 'instance'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: HANDLER_NAMESPACE,
    metricName,
    dimensionsMap: { service: 'connection-storm', Target: target },
    statistic: 'Sum',
    period: PERIOD,
    label: `${metricName} (${target})`,
  });
}

/**
 * What the lab adds to ProxiedDatabase's dashboard: where Performance Insights is, the
 * items API, the connection storm (clients and failures, through the proxy and direct), and
 * every alarm's state.
 */
export function addLabDashboardWidgets(dashboard: cloudwatch.Dashboard, parts: {
  database: ProxiedDatabase; itemsApi: lambda.IFunction; connectionStorm: lambda.IFunction; alarms: cloudwatch.IAlarm[];
}): void {
  const { database, itemsApi, connectionStorm } = parts;
  const rdsConsole = `https://${Aws.REGION}.console.aws.amazon.com/rds/home?region=${Aws.REGION}`;
  dashboard.addWidgets(new cloudwatch.TextWidget({
    width: 24,
    height: 4,
    markdown: [
      '## RDS integration lab',
      `**Performance Insights** (top SQL, waits; shown as CloudWatch Database Insights): [database \`${database.instance.instanceIdentifier}\`](${rdsConsole}#database:id=${database.instance.instanceIdentifier};is-cluster=false) → *Monitoring*. `,
      `**Slow queries** (≥ 0.5 s): log group \`${database.slowQueryLogGroup.logGroupName}\`. **Failovers**: [RDS events](${rdsConsole}#events:).`,
      'No replica lag here: the Multi-AZ standby is not readable, it replicates synchronously.',
    ].join('\n\n'),
  }));
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Items API: invocations, errors and p99 duration (ms)',
      width: 8,
      left: [itemsApi.metricInvocations({ period: PERIOD }), itemsApi.metricErrors({ period: PERIOD })],
      right: [itemsApi.metricDuration({ period: PERIOD, statistic: 'p99' })],
    }),
    new cloudwatch.GraphWidget({
      title: 'Connection storm: clients and failures, through the proxy vs direct',
      width: 8,
      left: [stormMetric('StormClients', 'proxy'), stormMetric('StormClientFailures', 'proxy'), stormMetric('StormClients', 'instance'), stormMetric('StormClientFailures', 'instance')],
    }),
    new cloudwatch.GraphWidget({
      title: 'Connection storm: concurrent executions',
      width: 8,
      left: [new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'ConcurrentExecutions',
        dimensionsMap: { FunctionName: connectionStorm.functionName },
        statistic: 'Maximum',
        period: PERIOD,
      })],
    }),
  );
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: parts.alarms, width: 24 }));
}
