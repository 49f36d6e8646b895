import { Duration, Names } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** Statistics target tracking accepts (no percentiles). */
const TRACKABLE_STATISTICS = ['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum'];

/** What target tracking needs from a scaling policy: the metric, the target and the cooldowns (internal). */
export interface TrackedMetricOptions {
  readonly metric: cloudwatch.IMetric;
  readonly target: number;
  readonly scaleInCooldown: Duration;
  readonly scaleOutCooldown: Duration;
}

/**
 * Keep `metric` at `target` by adding and removing tasks. A direct metric goes through
 * aws-cdk-lib's target tracking; metric math, which aws-cdk-lib rejects for target
 * tracking, is rendered into the policy's `CustomizedMetricSpecification.Metrics`.
 */
export function trackMetric(scaling: ecs.ScalableTaskCount, id: string, o: TrackedMetricOptions): void {
  const config = o.metric.toMetricConfig();
  if (config.metricStat) {
    scaling.scaleToTrackCustomMetric(id, {
      metric: o.metric,
      targetValue: o.target,
      scaleInCooldown: o.scaleInCooldown,
      scaleOutCooldown: o.scaleOutCooldown,
    });
    return;
  }
  // ScalableTaskCount keeps its scalable target private; it is the child named 'Target'.
  const target = scaling.node.findChild('Target') as appscaling.ScalableTarget;
  const policy = new appscaling.CfnScalingPolicy(scaling, id, {
    policyName: '',
    policyType: 'TargetTrackingScaling',
    scalingTargetId: target.scalableTargetId,
    targetTrackingScalingPolicyConfiguration: {
      targetValue: o.target,
      scaleInCooldown: o.scaleInCooldown.toSeconds(),
      scaleOutCooldown: o.scaleOutCooldown.toSeconds(),
      customizedMetricSpecification: { metrics: metricQueries(o.metric) },
    },
  });
  // The name aws-cdk-lib gives its own target-tracking policies.
  policy.policyName = Names.uniqueId(policy);
}

/**
 * Why target tracking cannot use `metric`, one sentence each (empty when it can). Checked
 * at construct time so a bad metric fails the synth, not the deployment.
 */
export function trackingProblems(metric: cloudwatch.IMetric): string[] {
  const problems: string[] = [];
  const visit = (m: cloudwatch.IMetric, path: string) => {
    const config = m.toMetricConfig();
    if (config.metricStat) {
      const stat = config.metricStat;
      if (!TRACKABLE_STATISTICS.includes(stat.statistic)) {
        problems.push(`${path} uses statistic '${stat.statistic}'; target tracking accepts ${TRACKABLE_STATISTICS.join(', ')}`);
      }
      if (stat.account !== undefined || stat.region !== undefined) {
        problems.push(`${path} (${stat.namespace}/${stat.metricName}) names another account or region; target tracking reads the service's own`);
      }
      return;
    }
    const math = config.mathExpression;
    if (!math) {
      problems.push(`${path} is neither a metric nor a math expression`);
      return;
    }
    if (/\bSEARCH\s*\(/i.test(math.expression)) problems.push(`${path} uses SEARCH, which target tracking does not accept`);
    // aws-cdk-lib's MathExpression already checks the ids.
    for (const [key, used] of Object.entries(math.usingMetrics)) visit(used, `${path}.${key}`);
  };
  visit(metric, 'metric');
  return problems;
}

/** The policy's metric queries: every metric and sub-expression by its id, the expression last. */
function metricQueries(metric: cloudwatch.IMetric): appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty[] {
  const queries = new Map<string, appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty>();
  const render = (m: cloudwatch.IMetric, id: string, returnData: boolean) => {
    const config = m.toMetricConfig();
    if (config.metricStat) {
      const stat = config.metricStat;
      queries.set(id, {
        id,
        returnData,
        metricStat: {
          metric: {
            namespace: stat.namespace,
            metricName: stat.metricName,
            dimensions: stat.dimensions?.map((d) => ({ name: d.name, value: String(d.value) })),
          },
          stat: stat.statistic,
          unit: stat.unitFilter,
        },
      });
      return;
    }
    const math = config.mathExpression!;
    for (const [key, used] of Object.entries(math.usingMetrics)) render(used, key, false);
    queries.set(id, { id, expression: math.expression, label: config.renderingProperties?.label as string | undefined, returnData });
  };
  const ids = new Set<string>();
  const collect = (m: cloudwatch.IMetric) => Object.entries(m.toMetricConfig().mathExpression?.usingMetrics ?? {}).forEach(([k, v]) => {
    ids.add(k);
    collect(v);
  });
  collect(metric);
  let resultId = 'tracked';
  for (let n = 1; ids.has(resultId); n++) resultId = `tracked${n}`;
  render(metric, resultId, true);
  return [...queries.values()];
}
