import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { AuthorizedApiProps } from './authorized-api-props';
import { pascal } from './construct-ids';
import { ConstructAlarms } from '../core/alarms';

/** The API's alarms: 5XX rate and p99 latency per stage, and authorizer errors. */
export interface ApiAlarms {
  readonly serverErrorAlarms: cloudwatch.IAlarm[];
  readonly latencyAlarms: cloudwatch.IAlarm[];
  readonly authorizerErrorAlarm?: cloudwatch.IAlarm;
  readonly usageKeyErrorAlarm?: cloudwatch.IAlarm;
}

export function createApiAlarms(scope: Construct, alarmSet: ConstructAlarms, props: AuthorizedApiProps,
  stages: readonly apigateway.Stage[], stageNames: readonly string[], authorizerFunction?: lambda.IFunction, usageKeys = false): ApiAlarms {
  const errorRate = props.serverErrorRateThreshold ?? 0.05;
  const latency = props.latencyP99Threshold ?? Duration.seconds(3);
  const serverErrorAlarms = stages.map((stage, i) => alarmSet.create(scope, `ServerErrorRateAlarm${pascal(stageNames[i])}`, {
    metric: stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) }),
    threshold: errorRate,
    description: `More than ${errorRate * 100}% of requests to stage ${stageNames[i]} failed with 5XX in 5 minutes: ` +
      'check the integration and authorizer logs.',
  }));
  const latencyAlarms = stages.map((stage, i) => alarmSet.create(scope, `LatencyP99Alarm${pascal(stageNames[i])}`, {
    metric: stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period: Duration.minutes(5) }),
    threshold: latency.toMilliseconds(),
    description: `p99 latency of stage ${stageNames[i]} exceeded ${latency.toHumanString()} for 5 minutes: check IntegrationLatency and the backend.`,
  }));
  const authorizerErrorAlarm = authorizerFunction ? alarmSet.create(scope, 'AuthorizerErrorAlarm', {
    metric: authorizerFunction.metricErrors({ period: Duration.minutes(5) }),
    threshold: 1,
    description: 'The authorizer function failed: callers get 401 on every route. Check its log group.',
  }) : undefined;
  const usageKeyErrorAlarm = authorizerFunction && usageKeys ? alarmSet.create(scope, 'UsageKeyErrorAlarm', {
    metric: usageKeyErrors(authorizerFunction),
    threshold: 1,
    description: 'The authorizer could not read a tenant\'s usage key (GetApiKey): requests of a tenant whose key was never read are denied ' +
      '(usage_key_unavailable). Check the authorizer log for the key id and error, its apigateway:GET permission and control-plane throttling.',
  }) : undefined;
  return { serverErrorAlarms, latencyAlarms, authorizerErrorAlarm, usageKeyErrorAlarm };
}

/** `UsageKeyErrors` of this API's authorizer: EMF, dimensions service and function_name. */
function usageKeyErrors(fn: lambda.IFunction): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'CdkServiceIntegration',
    metricName: 'UsageKeyErrors',
    dimensionsMap: { service: 'authorizer', function_name: fn.functionName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
  });
}
