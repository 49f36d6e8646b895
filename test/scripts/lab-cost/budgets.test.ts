import { fargateService, internetFacingAlb, natGateway } from './fixtures';
import { budgetFailure, LAB_BUDGETS, NOT_LABS } from '../../../scripts/lab-cost/budgets';
import { estimateStack } from '../../../scripts/lab-cost/estimate';

// $0.1615 per idle hour: NAT $0.045 + EIP $0.005 + ALB $0.0225 + 2 ALB IPs $0.01 + 2 ARM tasks $0.079
const handTemplate = {
  Resources: { ...natGateway(), ...internetFacingAlb(), ...fargateService('Web', { arch: 'ARM64', scaling: { min: 2, max: 4 } }) },
};

describe('budgetFailure', () => {
  test('names the stack, its figure, its budget and its three largest line items when over budget', () => {
    const estimate = estimateStack('TightLab', handTemplate);
    expect(budgetFailure(estimate, { TightLab: 0.1 }, {})).toBe(
      'TightLab costs $0.1615 per idle hour, over its budget of $0.10 per hour; largest items: '
      + '2 × Fargate task (ARM64, 1 vCPU, 2 GB) on FARGATE: $0.0790/hour; 1 × NAT gateway: $0.0450/hour; '
      + '1 × Application Load Balancer: $0.0225/hour.');
  });

  test('passes a lab within its budget', () => {
    expect(budgetFailure(estimateStack('TightLab', handTemplate), { TightLab: 0.17 }, {})).toBeUndefined();
  });

  test('fails a lab stack that has no budget, saying where to add one', () => {
    expect(budgetFailure(estimateStack('NewLab', handTemplate), {}, {})).toBe(
      'NewLab costs $0.1615 per idle hour and has no budget: add it to LAB_BUDGETS (or NOT_LABS) in scripts/lab-cost/budgets.ts; '
      + 'largest items: 2 × Fargate task (ARM64, 1 vCPU, 2 GB) on FARGATE: $0.0790/hour; 1 × NAT gateway: $0.0450/hour; '
      + '1 × Application Load Balancer: $0.0225/hour.');
  });

  test('fails a lab with resources it cannot price, because its figure is then only a lower bound', () => {
    const estimate = estimateStack('CrossServiceLab', { Resources: { ...natGateway(), Cache: { Type: 'AWS::ElastiCache::CacheCluster', Properties: {} } } });
    expect(budgetFailure(estimate)).toBe(
      'CrossServiceLab: 1 resource(s) cannot be priced, so $0.0500 per idle hour is only a lower bound: '
      + 'Cache (AWS::ElastiCache::CacheCluster): no price and no usage note for this resource type in scripts/lab-cost. '
      + 'Price the type or classify it as free or usage-priced in scripts/lab-cost.');
  });

  test('skips stacks that are not labs', () => {
    expect(NOT_LABS.PipelineSmoke).toBeDefined();
    const estimate = estimateStack('PipelineSmoke', { Resources: { Cache: { Type: 'AWS::ElastiCache::CacheCluster', Properties: {} } } });
    expect(budgetFailure(estimate)).toBeUndefined();
  });

  test('holds every lab to 10 % of its seed standard-cost rate, to the cent, and fails one above it', () => {
    // seed 000: standard cost and duration of each lab
    const seed = {
      EcsOrchestrationLab: { usd: 4.0, minutes: 75 },
      LambdaIntegrationLab: { usd: 1.5, minutes: 60 },
      ApiGatewayLab: { usd: 2.0, minutes: 50 },
      RdsIntegrationLab: { usd: 5.0, minutes: 65 },
      CrossServiceLab: { usd: 6.0, minutes: 90 },
    };
    const tenPercent = Object.fromEntries(Object.entries(seed).map(([lab, s]) => [lab, Math.floor((0.1 * s.usd * 60) / s.minutes * 100) / 100]));
    // seed 004 (IoT platform) states no cost: issue 16 sets its budget to the cross-service one
    expect(LAB_BUDGETS).toEqual({ ...tenPercent, IotPlatform: tenPercent.CrossServiceLab });
    // a cross-service lab with three NAT gateways and ten x86 tasks of 1 vCPU / 2 GB
    const heavy = {
      Resources: {
        ...natGateway(),
        Nat2: { Type: 'AWS::EC2::NatGateway', Properties: {} },
        Nat3: { Type: 'AWS::EC2::NatGateway', Properties: {} },
        ...fargateService('Api', { desiredCount: 10 }),
      },
    };
    // 3 × $0.045 + $0.005 + 10 × $0.04937 = $0.6337 > $0.40
    expect(budgetFailure(estimateStack('CrossServiceLab', heavy))).toMatch(/^CrossServiceLab costs \$0\.6337 per idle hour, over its budget of \$0\.40 per hour/);
  });
});
