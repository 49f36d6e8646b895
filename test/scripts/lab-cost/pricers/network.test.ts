import { estimateStack } from '../../../../scripts/lab-cost/estimate';

describe('network pricers', () => {
  test('bill an interface endpoint once per AZ (subnet) and leave gateway endpoints free', () => {
    const estimate = estimateStack('Endpoints', {
      Resources: {
        Secrets: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: [{ Ref: 'A' }, { Ref: 'B' }, { Ref: 'C' }] } },
        S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway', RouteTableIds: [{ Ref: 'Rt' }] } },
      },
    });
    // 3 AZs × $0.01
    expect(estimate.idleHourly).toBeCloseTo(0.03, 10);
    expect(estimate.free).toEqual([{ type: 'AWS::EC2::VPCEndpoint', count: 1 }]);
  });

  test('give an internal ALB no public IPv4 addresses', () => {
    const estimate = estimateStack('Internal', {
      Resources: { Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal', Subnets: ['a', 'b', 'c'] } } },
    });
    expect(estimate.idleHourly).toBeCloseTo(0.0225, 10);
    // one LCU in an exercise hour
    expect(estimate.exerciseHourly).toBeCloseTo(0.0305, 10);
  });

  test('leave a network load balancer not priced rather than guess its hourly price', () => {
    const estimate = estimateStack('Nlb', { Resources: { Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', Subnets: ['a'] } } } });
    expect(estimate.notPriced[0].reason).toBe('a network load balancer has no confirmed hourly price in the table');
  });
});
