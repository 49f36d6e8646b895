import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { ConstructAlarms } from '../core/alarms';

/** The thresholds of the alarms of a ProxiedDatabase, defaults applied. */
export interface ResolvedAlarmThresholds {
  readonly cpuPercent: number;
  readonly freeStorageBytes: number;
  readonly proxyConnectionsPercent: number;
  readonly pinnedSessions: number;
}

/** The alarms of a ProxiedDatabase, by what they watch. */
export interface DatabaseAlarmSet {
  readonly cpuAlarm: cloudwatch.Alarm;
  readonly freeStorageAlarm: cloudwatch.Alarm;
  readonly connectionsAlarm: cloudwatch.Alarm;
  readonly pinnedSessionsAlarm: cloudwatch.Alarm;
}

const PERIOD = Duration.minutes(5);

/** A metric of the proxy (namespace AWS/RDS, dimension ProxyName). */
export function proxyMetric(proxy: rds.IDatabaseProxy, metricName: string, statistic: string = 'Average'): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: { ProxyName: proxy.dbProxyName }, statistic, period: PERIOD });
}

/** Create the alarms for the failure modes that matter: CPU, storage, proxy pool saturation and pinning. */
export function createDatabaseAlarms(
  scope: Construct,
  alarms: ConstructAlarms,
  instance: rds.DatabaseInstance,
  proxy: rds.DatabaseProxy,
  thresholds: ResolvedAlarmThresholds,
): DatabaseAlarmSet {
  const cpuAlarm = alarms.create(scope, 'CpuAlarm', {
    metric: instance.metricCPUUtilization({ period: PERIOD, statistic: 'Average' }),
    threshold: thresholds.cpuPercent,
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
    description: `Database CPU at or above ${thresholds.cpuPercent}% for 15 minutes: look at Performance Insights top SQL, or move to a larger instance class.`,
  });
  const freeStorageAlarm = alarms.create(scope, 'FreeStorageAlarm', {
    metric: instance.metricFreeStorageSpace({ period: PERIOD, statistic: 'Minimum' }),
    threshold: thresholds.freeStorageBytes,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 2,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
    description: `Database free storage at or below ${Math.round(thresholds.freeStorageBytes / 1024 ** 3 * 10) / 10} GiB: ` +
      'storage autoscaling may have reached maxAllocatedStorage; raise it or clean up data before writes fail.',
  });
  const connectionsAlarm = alarms.create(scope, 'ConnectionsAlarm', {
    metric: new cloudwatch.MathExpression({
      expression: '100 * connections / FILL(allowed, REPEAT)',
      usingMetrics: {
        connections: proxyMetric(proxy, 'DatabaseConnections', 'Maximum'),
        allowed: proxyMetric(proxy, 'MaxDatabaseConnectionsAllowed', 'Minimum'),
      },
      label: 'Proxy pool used (%)',
      period: PERIOD,
    }),
    threshold: thresholds.proxyConnectionsPercent,
    evaluationPeriods: 3,
    description: `The proxy used ${thresholds.proxyConnectionsPercent}% or more of the database connections it may open for 15 minutes: ` +
      'clients will wait up to the borrow timeout; check for pinned sessions and long transactions, or raise maxConnectionsPercent / the class.',
  });
  const pinnedSessionsAlarm = alarms.create(scope, 'PinnedSessionsAlarm', {
    metric: proxyMetric(proxy, 'DatabaseConnectionsCurrentlySessionPinned', 'Average'),
    threshold: thresholds.pinnedSessions,
    evaluationPeriods: 3,
    description: `${thresholds.pinnedSessions} or more proxy sessions stayed pinned for 15 minutes: a client uses SET, user variables, ` +
      'temporary tables, locks or server-side prepared statements, which stops the proxy from sharing connections.',
  });
  return { cpuAlarm, freeStorageAlarm, connectionsAlarm, pinnedSessionsAlarm };
}

/** An operations dashboard: instance health, proxy pool, pinning and latency side by side. */
export function createDatabaseDashboard(
  scope: Construct, instance: rds.DatabaseInstance, proxy: rds.DatabaseProxy, alarmSet: DatabaseAlarmSet,
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(3) });
  dashboard.addWidgets(
    new cloudwatch.AlarmWidget({ title: 'CPU (%)', alarm: alarmSet.cpuAlarm, width: 8 }),
    new cloudwatch.AlarmWidget({ title: 'Free storage (bytes)', alarm: alarmSet.freeStorageAlarm, width: 8 }),
    new cloudwatch.GraphWidget({
      title: 'Database connections',
      width: 8,
      left: [instance.metricDatabaseConnections({ period: PERIOD, statistic: 'Maximum' })],
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Proxy: client vs database connections',
      width: 8,
      left: [proxyMetric(proxy, 'ClientConnections', 'Maximum'), proxyMetric(proxy, 'DatabaseConnections', 'Maximum'),
        proxyMetric(proxy, 'MaxDatabaseConnectionsAllowed', 'Minimum')],
    }),
    new cloudwatch.AlarmWidget({ title: 'Proxy: pinned sessions', alarm: alarmSet.pinnedSessionsAlarm, width: 8 }),
    new cloudwatch.GraphWidget({
      title: 'Proxy: query latency (µs) and borrow latency (µs)',
      width: 8,
      left: [proxyMetric(proxy, 'QueryDatabaseResponseLatency', 'p99'), proxyMetric(proxy, 'DatabaseConnectionsBorrowLatency', 'p99')],
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Read / write latency (s)',
      width: 12,
      left: [instance.metric('ReadLatency', { period: PERIOD, statistic: 'p99' }), instance.metric('WriteLatency', { period: PERIOD, statistic: 'p99' })],
    }),
    new cloudwatch.GraphWidget({
      title: 'Proxy: failed connection setups',
      width: 12,
      left: [proxyMetric(proxy, 'ClientConnectionsSetupFailedAuth', 'Sum'), proxyMetric(proxy, 'DatabaseConnectionsSetupFailed', 'Sum')],
    }),
  );
  return dashboard;
}
