import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fargateService, internetFacingAlb, natGateway } from './fixtures';
import { estimateStack } from '../../../scripts/lab-cost/estimate';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('estimateStack', () => {
  test('prices a NAT gateway, an internet-facing ALB and two Fargate ARM tasks by hand', () => {
    const estimate = estimateStack('Hand', {
      Resources: {
        ...natGateway(),
        ...internetFacingAlb(),
        // 2 tasks idle (MinCapacity, no DesiredCount, like MeshedFargateService), 4 at most
        ...fargateService('Web', { arch: 'ARM64', cpu: '1024', memory: '2048', scaling: { min: 2, max: 4 } }),
      },
    });
    // NAT gateway                  1 × $0.045                       = $0.045
    // its Elastic IP               1 × $0.005                       = $0.005
    // ALB                          1 × $0.0225                      = $0.0225
    // ALB public IPv4, one per AZ  2 × $0.005                       = $0.010
    // ALB LCU                      0 idle (no minimum)              = $0
    // Fargate ARM task             1 vCPU × $0.03238 + 2 GB × $0.00356 = $0.0395; × 2 = $0.079
    // idle                                                          = $0.1615
    expect(estimate.idleHourly).toBeCloseTo(0.1615, 10);
    // exercise: 4 tasks (MaxCapacity) = $0.158 and 1 LCU = $0.008 → $0.1615 + $0.079 + $0.008
    expect(estimate.exerciseHourly).toBeCloseTo(0.2485, 10);
    expect(estimate.items.map((i) => [i.description, i.idleUnits])).toEqual([
      ['Fargate task (ARM64, 1 vCPU, 2 GB) on FARGATE', 2],
      ['NAT gateway', 1],
      ['Application Load Balancer', 1],
      ['public IPv4 address of an internet-facing ALB (one per AZ)', 2],
      ['public IPv4 address (Elastic IP)', 1],
      ['ALB capacity units (LCU): 0 when idle, 1 in an exercise hour', 0],
    ]);
    expect(estimate.notPriced).toEqual([]);
    expect(estimate.free).toContainEqual({ type: 'AWS::ECS::TaskDefinition', count: 1 });
  });

  test('lists unknown resource types as not priced and leaves them out of the figure, never as zero', () => {
    const estimate = estimateStack('Odd', {
      Resources: {
        ...natGateway(),
        Cache: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { CacheNodeType: 'cache.t4g.micro', NumCacheNodes: 1 } },
        Bastion: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't4g.nano' } },
      },
    });
    expect(estimate.notPriced).toEqual([
      { type: 'AWS::EC2::Instance', logicalId: 'Bastion', reason: 'no price and no usage note for this resource type in scripts/lab-cost' },
      { type: 'AWS::ElastiCache::CacheCluster', logicalId: 'Cache', reason: 'no price and no usage note for this resource type in scripts/lab-cost' },
    ]);
    expect(estimate.free).toEqual([]);
    expect(estimate.usagePriced).toEqual([]);
    // only the NAT gateway and its address are counted
    expect(estimate.idleHourly).toBeCloseTo(0.05, 10);
  });

  test('lists usage-priced resources with what drives their bill and custom resources as free', () => {
    const estimate = estimateStack('Serverless', {
      Resources: {
        FnA: { Type: 'AWS::Lambda::Function', Properties: {} },
        FnB: { Type: 'AWS::Lambda::Function', Properties: {} },
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Lockdown: { Type: 'Custom::VpcRestrictDefaultSG', Properties: {} },
      },
    });
    expect(estimate.usagePriced).toEqual([
      { type: 'AWS::Lambda::Function', count: 2, driver: 'requests and GB-seconds of duration' },
      { type: 'AWS::SQS::Queue', count: 1, driver: 'requests, counted in 64 KB chunks' },
    ]);
    expect(estimate.free).toEqual([{ type: 'Custom::VpcRestrictDefaultSG', count: 1 }]);
    expect(estimate.idleHourly).toBe(0);
  });

  test('merges alike lines of several resources into one line with the units added', () => {
    const estimate = estimateStack('Keys', {
      Resources: {
        KeyA: { Type: 'AWS::KMS::Key', Properties: {} },
        KeyB: { Type: 'AWS::KMS::Key', Properties: {} },
        KeyC: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    });
    expect(estimate.items).toHaveLength(1);
    expect(estimate.items[0].idleUnits).toBe(3);
    // 3 keys × $1.00 / 730 hours
    expect(estimate.idleHourly).toBeCloseTo(3 / 730, 12);
  });

  test('knows every resource type of the committed integ snapshots: each is priced, free or usage-priced', () => {
    const integ = path.join(ROOT, 'integ');
    const templates = readdirSync(integ).filter((d) => d.endsWith('.snapshot')).flatMap((d) =>
      readdirSync(path.join(integ, d)).filter((f) => f.endsWith('.template.json')).map((f) => path.join(integ, d, f)));
    expect(templates.length).toBeGreaterThan(5);
    const unknown = templates.flatMap((file) => estimateStack(path.basename(file), JSON.parse(readFileSync(file, 'utf8'))).notPriced
      .map((r) => `${path.basename(file)} ${r.logicalId} ${r.type}: ${r.reason}`));
    expect(unknown).toEqual([]);
  });
});
