import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Target tracking on a CloudWatch metric of your own. Target tracking assumes the metric
 * falls as tasks are added, so track a per-task figure: a metric every task publishes with
 * the same dimensions, read as `Average` (e.g. requests each task served per minute), or
 * metric math that divides a shared figure by the running tasks (e.g. SQS backlog per
 * task).
 */
export interface CustomMetricScaling {
  /**
   * The metric to track: a direct `cloudwatch.Metric`, or a `cloudwatch.MathExpression`
   * over direct metrics (nested expressions allowed) that returns one time series.
   * Percentile statistics, other accounts or regions, and SEARCH expressions are not
   * supported by target tracking.
   */
  readonly metric: cloudwatch.IMetric;
  /** The value the service keeps the metric at by adding and removing tasks. */
  readonly target: number;
  /**
   * Divide `metric` by the service's running tasks (Container Insights' RunningTaskCount)
   * before tracking it: for a figure the whole service shares, such as the visible messages
   * of the queue its tasks consume (backlog per task, as AWS recommends for queue workers).
   * Needs a `minCapacity` of at least 1: with no task there is nothing to divide by.
   * @default false - `metric` is tracked as it is
   */
  readonly perTask?: boolean;
}

/**
 * Task-count autoscaling of a MeshedFargateService. The service never carries a
 * desiredCount, so deployments do not reset the count autoscaling chose.
 */
export interface ServiceAutoscaling {
  /** Fewest running tasks (0 allows scale to zero; 2+ keeps a task per AZ pair). */
  readonly minCapacity: number;
  /** Most running tasks; at least `minCapacity`. */
  readonly maxCapacity: number;
  /** Average CPU utilisation to hold, in percent (1-100). */
  readonly cpuTarget: number;
  /**
   * Average memory utilisation to hold, in percent (1-100).
   * @default - no memory policy
   */
  readonly memoryTarget?: number;
  /**
   * ALB requests per task to hold; needs `publicLoadBalancer`.
   * @default - no request-count policy
   */
  readonly requestsPerTarget?: number;
  /**
   * A custom CloudWatch metric to track.
   * @default - none
   */
  readonly customMetric?: CustomMetricScaling;
  /**
   * Wait after a scale-in before the next one.
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out before the next one.
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;
}
