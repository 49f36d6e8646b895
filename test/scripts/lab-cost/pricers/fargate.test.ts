import { estimateStack } from '../../../../scripts/lab-cost/estimate';
import { splitTasks } from '../../../../scripts/lab-cost/pricers/fargate';
import { fargateService } from '../fixtures';

// x86 task of 1 vCPU and 2 GB: 1 × $0.04048 + 2 × $0.004445 = $0.04937 per hour on FARGATE.
const X86_TASK = 0.04937;

describe('splitTasks', () => {
  test('gives the provider with a base its base first, then splits the rest by weight', () => {
    const strategy = [{ provider: 'FARGATE', base: 1, weight: 1 }, { provider: 'FARGATE_SPOT', base: 0, weight: 3 }];
    expect(splitTasks(strategy, 5)).toEqual({ FARGATE: 2, FARGATE_SPOT: 3 });
    expect(splitTasks(strategy, 1)).toEqual({ FARGATE: 1, FARGATE_SPOT: 0 });
    // 2 tasks beyond the base of 1 split 1:3 → 0.25 and 0.75 in the long run
    expect(splitTasks(strategy, 2)).toEqual({ FARGATE: 1.25, FARGATE_SPOT: 0.75 });
  });

  test('puts every task beyond the base on Spot when on-demand has weight 0', () => {
    const strategy = [{ provider: 'FARGATE', base: 2, weight: 0 }, { provider: 'FARGATE_SPOT', base: 0, weight: 1 }];
    expect(splitTasks(strategy, 6)).toEqual({ FARGATE: 2, FARGATE_SPOT: 4 });
  });
});

describe('priceEcsService', () => {
  test('prices Spot weights with Spot as a range and budgets at its top', () => {
    const estimate = estimateStack('Spot', {
      Resources: fargateService('Api', {
        desiredCount: 5,
        strategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 3 }],
      }),
    });
    // 5 tasks: base 1 on FARGATE, the other 4 split 1:3 → 2 on FARGATE, 3 on FARGATE_SPOT
    // on-demand: 2 × $0.04937                          = $0.09874
    // Spot, top of range (50 % of on-demand): 3 × $0.024685 = $0.074055
    // Spot, bottom of range (30 %):           3 × $0.014811 = $0.044433
    expect(estimate.items.map((i) => [i.description, i.idleUnits])).toEqual([
      ['Fargate task (X86_64, 1 vCPU, 2 GB) on FARGATE', 2],
      ['Fargate task (X86_64, 1 vCPU, 2 GB) on FARGATE_SPOT', 3],
    ]);
    expect(estimate.idleHourly).toBeCloseTo(2 * X86_TASK + 3 * X86_TASK * 0.5, 10);
    expect(estimate.idleHourly).toBeCloseTo(0.172795, 10);
    expect(estimate.idleHourlyLow).toBeCloseTo(0.143173, 10);
  });

  test('prices the Spot share of ARM64 tasks as on-demand, with a warning, because Spot runs X86_64 only', () => {
    const estimate = estimateStack('ArmSpot', {
      Resources: fargateService('Api', {
        arch: 'ARM64',
        desiredCount: 2,
        strategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 0 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
      }),
    });
    // 2 × (1 × $0.03238 + 2 × $0.00356) = $0.079
    expect(estimate.idleHourly).toBeCloseTo(0.079, 10);
    expect(estimate.items).toHaveLength(1);
    expect(estimate.warnings).toEqual([
      'ApiService (AWS::ECS::Service): ECS cannot place ARM64 tasks on FARGATE_SPOT (it runs X86_64 only); its share is priced as on-demand FARGATE',
    ]);
  });

  test('runs the scalable target\'s MinCapacity idle and its MaxCapacity in an exercise hour when DesiredCount is absent', () => {
    const estimate = estimateStack('Scaled', { Resources: fargateService('Api', { scaling: { min: 3, max: 10 } }) });
    expect(estimate.idleHourly).toBeCloseTo(3 * X86_TASK, 10);
    expect(estimate.exerciseHourly).toBeCloseTo(10 * X86_TASK, 10);
  });

  test('keeps an explicit DesiredCount inside the scalable target\'s range', () => {
    const estimate = estimateStack('Clamped', { Resources: fargateService('Api', { desiredCount: 1, scaling: { min: 2, max: 4 } }) });
    expect(estimate.items[0].idleUnits).toBe(2);
  });

  test('starts one task, with a note, when neither DesiredCount nor a scalable target says how many', () => {
    const estimate = estimateStack('Default', { Resources: fargateService('Api') });
    expect(estimate.items[0].idleUnits).toBe(1);
    expect(estimate.warnings).toEqual(['ApiService (AWS::ECS::Service): no DesiredCount and no scalable target: CloudFormation starts 1 task']);
  });

  test('uses the cluster\'s default strategy when the service names none', () => {
    const resources = fargateService('Api', { desiredCount: 2 });
    delete (resources.ApiService.Properties as Record<string, unknown>).CapacityProviderStrategy;
    resources.ApiCapacity = {
      Type: 'AWS::ECS::ClusterCapacityProviderAssociations',
      Properties: { Cluster: { Ref: 'ApiCluster' }, CapacityProviders: ['FARGATE_SPOT'], DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] },
    };
    const estimate = estimateStack('ClusterDefault', { Resources: resources });
    expect(estimate.items.map((i) => [i.description, i.idleUnits])).toEqual([['Fargate task (X86_64, 1 vCPU, 2 GB) on FARGATE_SPOT', 2]]);
  });

  test('adds one public IPv4 address per task when tasks get public IPs', () => {
    const estimate = estimateStack('Public', { Resources: fargateService('Api', { desiredCount: 2, assignPublicIp: true }) });
    // 2 tasks + 2 addresses × $0.005
    expect(estimate.idleHourly).toBeCloseTo(2 * X86_TASK + 2 * 0.005, 10);
  });

  test('reads "0.5 vCPU" and "1 GB" task sizes as well as CPU units and MiB', () => {
    const estimate = estimateStack('Words', { Resources: fargateService('Api', { desiredCount: 1, cpu: '0.5 vCPU', memory: '1 GB' }) });
    // 0.5 × $0.04048 + 1 × $0.004445
    expect(estimate.idleHourly).toBeCloseTo(0.024685, 10);
  });

  test('does not guess a token: a DesiredCount that is a parameter reference is not priced', () => {
    const estimate = estimateStack('Token', { Resources: fargateService('Api', { desiredCount: { Ref: 'Count' } }) });
    expect(estimate.notPriced).toEqual([{ type: 'AWS::ECS::Service', logicalId: 'ApiService', reason: 'its DesiredCount is not a literal number' }]);
    expect(estimate.idleHourly).toBe(0);
  });

  test('does not price services on the EC2 launch type', () => {
    const resources = fargateService('Api', { desiredCount: 1 });
    const properties = resources.ApiService.Properties as Record<string, unknown>;
    delete properties.CapacityProviderStrategy;
    properties.LaunchType = 'EC2';
    expect(estimateStack('Ec2', { Resources: resources }).notPriced[0].reason).toBe('launch type EC2 runs on instances the table does not price');
  });
});
