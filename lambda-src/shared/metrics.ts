import { Metrics } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace every handler of this library publishes to. */
export const METRICS_NAMESPACE = 'CdkServiceIntegration';

/**
 * A Powertools Metrics instance writing CloudWatch embedded metric format (EMF) to stdout:
 * no API calls, one JSON document per flush, dimension `service` = `serviceName`.
 * `POWERTOOLS_METRICS_NAMESPACE` overrides the namespace.
 */
export function createMetrics(serviceName: string, namespace: string = METRICS_NAMESPACE): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? namespace, serviceName });
}
