import { LAB_METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../../../examples/ecs-orchestration/service-settings';

/**
 * One CloudWatch embedded-metric-format document: a JSON log line from which CloudWatch
 * Logs extracts the metrics, no API call or agent needed (the awslogs driver ships stdout).
 */
export function emfLine(serviceName: string, timestampMs: number, counts: Readonly<Record<string, number>>): string {
  const names = Object.keys(counts);
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [{
        Namespace: LAB_METRICS_NAMESPACE,
        Dimensions: [[SERVICE_DIMENSION]],
        Metrics: names.map((name) => ({ Name: name, Unit: 'Count' })),
      }],
    },
    [SERVICE_DIMENSION]: serviceName,
    ...counts,
  });
}
