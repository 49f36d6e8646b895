import { Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { build, fixture, invalid, serviceProps } from './mesh-fixture';
import { Deployment, MeshedFargateService, MeshedFargateServiceProps } from '../../src/mesh';

// productionRulePriority: room on the service's listener for the caller's own rules ahead of
// the rule ECS shifts production traffic on.

interface ListenerRule {
  readonly Priority: number;
  readonly ListenerArn: unknown;
  readonly Conditions: Array<{ Field: string }>;
}

function listenerRules(template: Template): ListenerRule[] {
  return Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
    .map((r) => r.Properties as ListenerRule);
}

/** The service's listener rules as ALB evaluates them (lowest priority first), by condition field. */
function evaluationOrder(extra: Partial<MeshedFargateServiceProps>): string[] {
  const f = fixture();
  const service = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, {
    publicLoadBalancer: true,
    deployment: Deployment.canary({ percent: 10 }),
    ...extra,
  }));
  // The lab's A/B route: a header rule at priority 10 to another target group.
  const variantB = new elbv2.ApplicationTargetGroup(f.stack, 'VariantB', {
    vpc: f.vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
  });
  service.listener!.addTargetGroups('VariantB', {
    priority: 10,
    conditions: [elbv2.ListenerCondition.httpHeader('x-ab-variant', ['b'])],
    targetGroups: [variantB],
  });
  const rules = listenerRules(Template.fromStack(f.stack));
  expect(rules).toHaveLength(2);
  // Both rules sit on the service's one production listener.
  expect(rules[0].ListenerArn).toEqual(rules[1].ListenerArn);
  return [...rules].sort((a, b) => a.Priority - b.Priority).map((r) => `${r.Priority}:${r.Conditions.map((c) => c.Field).join(',')}`);
}

describe('MeshedFargateService: productionRulePriority', () => {
  test('productionRulePriority sets the priority of the production listener rule', () => {
    const rules = listenerRules(build({ publicLoadBalancer: true, deployment: Deployment.canary(), productionRulePriority: 100 }).template);
    expect(rules).toEqual([expect.objectContaining({ Priority: 100, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }] })]);
  });

  test('without productionRulePriority the production listener rule keeps priority 1', () => {
    const rules = listenerRules(build({ publicLoadBalancer: true, deployment: Deployment.linear() }).template);
    expect(rules.map((r) => r.Priority)).toEqual([1]);
  });

  test('linear and blue/green deployments take the priority too', () => {
    for (const deployment of [Deployment.linear(), Deployment.blueGreen()]) {
      const rules = listenerRules(build({ publicLoadBalancer: true, deployment, productionRulePriority: 50000 }).template);
      expect(rules.map((r) => r.Priority)).toEqual([50000]);
    }
  });

  test('a header rule the user adds at priority 10 is evaluated ahead of a production rule at 100', () => {
    expect(evaluationOrder({ productionRulePriority: 100 })).toEqual(['10:http-header', '100:path-pattern']);
  });

  test('with the default priority 1 the production rule would shadow that header rule', () => {
    // Why the prop exists: the catch-all /* at priority 1 is evaluated first and always matches.
    expect(evaluationOrder({})).toEqual(['1:path-pattern', '10:http-header']);
  });

  test.each([
    ['without a load balancer', { deployment: Deployment.canary() }, /publicLoadBalancer is false, deployment is CANARY/],
    ['with a rolling deployment behind the ALB', { publicLoadBalancer: true }, /publicLoadBalancer is true, deployment is ROLLING/],
    ['with neither', {}, /publicLoadBalancer is false, deployment is ROLLING/],
  ] as Array<[string, Partial<MeshedFargateServiceProps>, RegExp]>)(
    'productionRulePriority without a traffic-shifting deployment behind an ALB is rejected (%s)', (_name, extra, state) => {
      const message = invalid({ ...extra, productionRulePriority: 100 });
      expect(message).toMatch(/^MeshedFargateService at 'Stack\/Orders' has invalid props \(1 problem\)/);
      expect(message).toMatch(/productionRulePriority needs publicLoadBalancer: true and a traffic-shifting deployment \(Deployment.canary, linear or blueGreen\)/);
      expect(message).toMatch(state);
      expect(message).toMatch(/, got 100$/);
    });

  test.each([0, 50001, 10.5, -1])('a productionRulePriority of %p is rejected as outside the ALB range 1..50000', (priority) => {
    const message = invalid({ publicLoadBalancer: true, deployment: Deployment.canary(), productionRulePriority: priority });
    expect(message).toMatch(/\(1 problem\)/);
    expect(message).toContain(`productionRulePriority must be an integer between 1 and 50000, got ${priority}`);
  });

  test('an out-of-range priority without an ALB reports both problems in one error', () => {
    const message = invalid({ productionRulePriority: 0 });
    expect(message).toMatch(/\(2 problems\)/);
    expect(message).toMatch(/productionRulePriority must be an integer between 1 and 50000, got 0/);
    expect(message).toMatch(/productionRulePriority needs publicLoadBalancer: true/);
  });
});
