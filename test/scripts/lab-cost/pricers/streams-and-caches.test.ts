import { estimateStack } from '../../../../scripts/lab-cost/estimate';

describe('API Gateway stage caches', () => {
  test('price each stage\'s cache by its size and leave stages without a cache free', () => {
    const estimate = estimateStack('Api', {
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
        Dev: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'dev' } },
        // 0.5 GB when the size is left out: $0.02
        Staging: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'staging', CacheClusterEnabled: true } },
        // 6.1 GB: $0.20
        Prod: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'prod', CacheClusterEnabled: true, CacheClusterSize: '6.1' } },
        // a size set but the cache off costs nothing
        Off: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'off', CacheClusterEnabled: false, CacheClusterSize: '237' } },
      },
    });
    expect(estimate.items.map((i) => [i.description, i.unitHourly])).toEqual([
      ['API Gateway stage cache, 6.1 GB', 0.2],
      ['API Gateway stage cache, 0.5 GB', 0.02],
    ]);
    expect(estimate.idleHourly).toBeCloseTo(0.22, 10);
    expect(estimate.free).toEqual([{ type: 'AWS::ApiGateway::Stage', count: 2 }]);
    expect(estimate.usagePriced.map((u) => u.type)).toEqual(['AWS::ApiGateway::RestApi']);
  });

  test('price every cache size AWS offers', () => {
    const sizes: Array<[string, number]> = [['0.5', 0.02], ['1.6', 0.038], ['6.1', 0.2], ['13.5', 0.25], ['28.4', 0.5], ['58.2', 1.0], ['118', 1.9], ['237', 3.8]];
    for (const [size, usdPerHour] of sizes) {
      const estimate = estimateStack('Api', { Resources: { Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { CacheClusterEnabled: 'true', CacheClusterSize: size } } } });
      expect([size, estimate.idleHourly]).toEqual([size, usdPerHour]);
    }
  });

  test('leave a size AWS does not offer not priced', () => {
    const estimate = estimateStack('Api', { Resources: { Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { CacheClusterEnabled: true, CacheClusterSize: '2' } } } });
    expect(estimate.notPriced).toEqual([{ type: 'AWS::ApiGateway::Stage', logicalId: 'Stage', reason: 'cache size "2" has no price in the table' }]);
  });
});

describe('Kinesis data streams', () => {
  test('price an on-demand stream per stream-hour and a provisioned one per shard-hour', () => {
    const estimate = estimateStack('Streams', {
      Resources: {
        Telemetry: { Type: 'AWS::Kinesis::Stream', Properties: { StreamModeDetails: { StreamMode: 'ON_DEMAND' } } },
        Audit: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2 } },
      },
    });
    // $0.04 + 2 × $0.015
    expect(estimate.idleHourly).toBeCloseTo(0.07, 10);
  });
});
