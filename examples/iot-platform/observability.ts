import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { TelemetryPipeline } from './data-path';
import { IotTables } from './data-tables';
import { DeviceCommands } from './device-commands';
import { TelemetryIngest } from './telemetry-ingest';
import { createFunctionErrorsAlarm, createNotifyingAlarm } from '../function-errors-alarm';

export interface PlatformAlarmsProps {
  readonly topic: sns.ITopic;
  readonly pipeline: TelemetryPipeline;
  readonly ingest: TelemetryIngest;
  readonly commands: DeviceCommands;
  readonly tables: IotTables;
  readonly deviceApiFunction: lambda.IFunction;
}

/**
 * The alarms the library's constructs do not raise themselves: ingestion falling behind or
 * being throttled, rejected and dead-lettered telemetry, the HTTP and WebSocket APIs' errors,
 * the lab functions' errors and DynamoDB throttling. Each notifies the incident topic on
 * ALARM and on OK.
 */
export function createPlatformAlarms(scope: Construct, props: PlatformAlarmsProps): cloudwatch.Alarm[] {
  const { topic, pipeline, ingest, commands, tables } = props;
  const five = Duration.minutes(5);
  const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) => createNotifyingAlarm(scope, id, topic, {
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    alarmDescription: description,
  });
  const apiMetric = (metricName: string, dimensionsMap: Record<string, string>, statistic: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap, statistic, period: five });
  const httpDims = { ApiId: ingest.api.apiId, Stage: ingest.stage.stageName };
  const wsDims = { ApiId: commands.api.apiId, Stage: commands.stage.stageName };

  return [
    alarm('IngestIteratorAgeAlarm', pipeline.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: five }), 60_000,
      'Telemetry consumer is more than a minute behind the stream: see the runbook "Ingestion stalled"'),
    alarm('IngestWriteThrottleAlarm', pipeline.stream.metricWriteProvisionedThroughputExceeded({ statistic: 'Sum', period: five }), 1,
      'Kinesis throttled telemetry writes (on-demand scales to twice its previous peak; a sudden flood exceeds that)'),
    alarm('StreamFailureAlarm', pipeline.streamFailureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: five }), 1,
      'A telemetry batch failed every retry; its records are still in the stream for 24 hours: see "Ingestion stalled"'),
    alarm('RejectedTelemetryAlarm', pipeline.rejectedQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: five }), 1,
      'Telemetry was rejected (malformed, unknown device, identity mismatch): see "Rejected telemetry spike"'),
    alarm('IngestServerErrorAlarm', apiMetric('5xx', httpDims, 'Sum'), 5, 'The telemetry API answered 5XX five times in 5 minutes'),
    alarm('IngestLatencyAlarm', apiMetric('IntegrationLatency', httpDims, 'p99'), 1000, 'p99 latency of Kinesis PutRecord behind the telemetry API is 1 s or more'),
    alarm('CommandsIntegrationErrorAlarm', apiMetric('IntegrationError', wsDims, 'Sum'), 5, 'WebSocket route handlers failed five times in 5 minutes'),
    alarm('CommandsExecutionErrorAlarm', apiMetric('ExecutionError', wsDims, 'Sum'), 5, 'The WebSocket API failed to run a route five times in 5 minutes'),
    alarm('ReadingsThrottleAlarm', tables.readings.metric('ThrottledRequests', { statistic: 'Sum', period: five }), 1, 'DynamoDB throttled the readings table'),
    alarm('RegistryThrottleAlarm', tables.registry.metric('ThrottledRequests', { statistic: 'Sum', period: five }), 1, 'DynamoDB throttled the device registry'),
    ...[
      ['TelemetryConsumer', pipeline.consumer],
      ['DeviceApi', props.deviceApiFunction],
      ['ConnectAuthorizer', commands.authorizerFunction],
      ['Connect', commands.connectFunction],
      ['Disconnect', commands.disconnectFunction],
      ['SendCommand', commands.sendCommandFunction],
    ].map(([name, fn]) => createFunctionErrorsAlarm(scope, `${name}ErrorsAlarm`, fn as lambda.IFunction, topic, `${name} failed five or more invocations in 5 minutes`)),
  ];
}
