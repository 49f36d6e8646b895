import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

/** AWS Distro for OpenTelemetry collector, pinned; override with openTelemetryCollectorImage. */
export const DEFAULT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3';
/** Resources reserved for the collector sidecar. */
export const COLLECTOR_SIZE = { cpu: 256, memoryMiB: 256 };
/** The collector image is built FROM scratch and needs no user of its own: run it as nobody. */
export const COLLECTOR_USER = '65534:65534';
/** Namespace of the metrics the collector writes as EMF (the ADOT default for ECS). */
export const COLLECTOR_METRICS_NAMESPACE = 'ECS/AWSOTel/Application';

/** What the collector sidecar needs (internal). */
export interface CollectorOptions {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly image?: ecs.ContainerImage;
  /** Log group of the collector's own output. */
  readonly containerLogGroup: logs.ILogGroup;
  /** Log group the collector's awsemf exporter writes metrics into. */
  readonly metricsLogGroup: logs.ILogGroup;
}

/**
 * Adds the ADOT collector: OTLP in on 4317 (gRPC) and 4318 (HTTP), traces to X-Ray,
 * metrics as EMF into `metricsLogGroup`. Its configuration travels in AOT_CONFIG_CONTENT
 * (JSON is YAML), which the collector reads instead of its image's default file; the
 * default file would write into `/aws/ecs/application/metrics`, a log group nobody owns.
 */
export function addCollector(o: CollectorOptions): ecs.ContainerDefinition {
  const collector = o.taskDefinition.addContainer('OtelCollector', {
    containerName: 'otel-collector',
    image: o.image ?? ecs.ContainerImage.fromRegistry(DEFAULT_COLLECTOR_IMAGE),
    essential: false,
    user: COLLECTOR_USER,
    readonlyRootFilesystem: true,
    memoryLimitMiB: COLLECTOR_SIZE.memoryMiB,
    cpu: COLLECTOR_SIZE.cpu,
    environment: { AOT_CONFIG_CONTENT: Stack.of(o.taskDefinition).toJsonString(collectorConfig(o.metricsLogGroup.logGroupName)) },
    logging: ecs.LogDrivers.awsLogs({ logGroup: o.containerLogGroup, streamPrefix: 'otel-collector' }),
    // The image's /healthcheck asks the health_check extension (localhost:13133).
    healthCheck: {
      command: ['CMD', '/healthcheck'],
      interval: Duration.seconds(15),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(10),
    },
  });
  o.taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    resources: ['*'],
  }));
  // Streams are created at run time (one per task) inside the log group the service owns.
  o.taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    resources: [`${o.metricsLogGroup.logGroupArn}`],
  }));
  return collector;
}

/** The collector pipeline: what the ADOT ECS default does, minus the receivers nothing here sends to. */
function collectorConfig(metricsLogGroupName: string): object {
  return {
    extensions: { health_check: {} },
    receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
    processors: {
      'batch/traces': { timeout: '1s', send_batch_size: 50 },
      'batch/metrics': { timeout: '60s' },
    },
    exporters: {
      awsxray: {},
      awsemf: { namespace: COLLECTOR_METRICS_NAMESPACE, log_group_name: metricsLogGroupName, log_stream_name: '{TaskId}' },
    },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch/traces'], exporters: ['awsxray'] },
        metrics: { receivers: ['otlp'], processors: ['batch/metrics'], exporters: ['awsemf'] },
      },
    },
  };
}
