import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Settings of the deployment-event rules. */
export interface DeploymentEventOptions {
  readonly cluster: ecs.ICluster;
  /** Where the outcomes are sent (the lab's alarm topic). */
  readonly topic: sns.Topic;
}

/** One rule per deployment outcome, with the metric EventBridge keeps of its matches. */
export interface DeploymentEventRule {
  readonly rule: events.Rule;
  readonly matches: cloudwatch.Metric;
}

/**
 * EventBridge rules for the ECS deployment outcomes of the lab's services (completed, and
 * failed, which includes rolled back). Each outcome is mailed through the alarm topic, and
 * the rules' MatchedEvents metrics put deployments on the dashboard.
 */
export function createDeploymentEventRules(scope: Construct, o: DeploymentEventOptions): Record<'completed' | 'failed', DeploymentEventRule> {
  const stack = Stack.of(scope);
  const servicePrefix = stack.formatArn({ service: 'ecs', resource: 'service', resourceName: `${o.cluster.clusterName}/` });
  // EventBridge publishes to the encrypted topic with the key, like CloudWatch does.
  o.topic.masterKey?.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const outcome = (id: string, eventName: string, description: string): DeploymentEventRule => {
    const rule = new events.Rule(scope, id, {
      description,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Deployment State Change'],
        resources: events.Match.prefix(servicePrefix),
        detail: { eventName: [eventName] },
      },
    });
    rule.addTarget(new targets.SnsTopic(o.topic, {
      message: events.RuleTargetInput.fromText(
        `ECS deployment ${events.EventField.fromPath('$.detail.eventName')} for ${events.EventField.fromPath('$.resources[0]')}: `
        + `${events.EventField.fromPath('$.detail.reason')}`,
      ),
    }));
    NagSuppressions.addResourceSuppressions(rule, [{
      id: 'Serverless-EventBusDLQ',
      reason: 'The notification is informational: the same deployment outcome stays in the ECS service events and on the dashboard (the rule\'s MatchedEvents), so an undelivered email needs no replay.',
    }]);
    const matches = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: { RuleName: rule.ruleName },
      statistic: cloudwatch.Stats.SUM,
      label: eventName,
    });
    return { rule, matches };
  };
  return {
    completed: outcome('DeploymentCompleted', 'SERVICE_DEPLOYMENT_COMPLETED', 'ECS orchestration lab: a service deployment completed'),
    failed: outcome('DeploymentFailed', 'SERVICE_DEPLOYMENT_FAILED', 'ECS orchestration lab: a service deployment failed or was rolled back'),
  };
}
