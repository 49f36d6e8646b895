import { estimateStack } from '../../../../scripts/lab-cost/estimate';
import { Resources } from '../fixtures';

/** A MySQL instance behind RDS Proxy, with its generated secret, as ProxiedDatabase emits them. */
function proxiedDatabase(instance: Record<string, unknown>): Resources {
  return {
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
    Instance: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql', StorageType: 'gp3', ...instance } },
    Proxy: { Type: 'AWS::RDS::DBProxy', Properties: { EngineFamily: 'MYSQL' } },
    ProxyTargets: {
      Type: 'AWS::RDS::DBProxyTargetGroup',
      Properties: { DBProxyName: { Ref: 'Proxy' }, DBInstanceIdentifiers: [{ Ref: 'Instance' }], TargetGroupName: 'default' },
    },
  };
}

describe('RDS pricers', () => {
  test('price a Multi-AZ instance and its proxy by hand', () => {
    const estimate = estimateStack('Db', { Resources: proxiedDatabase({ DBInstanceClass: 'db.t4g.medium', MultiAZ: true, AllocatedStorage: '20' }) });
    // db.t4g.medium Multi-AZ: 2 × $0.065            = $0.13
    // gp3 storage, Multi-AZ: 20 GB × $0.23 / 730     = $0.0063014
    // RDS Proxy: 2 vCPU (the class; not the standby) × $0.015 = $0.03
    // secret: $0.40 / 730                            = $0.0005479
    expect(estimate.idleHourly).toBeCloseTo(0.13 + (20 * 0.23) / 730 + 0.03 + 0.4 / 730, 10);
    expect(estimate.idleHourly).toBeCloseTo(0.1668493, 6);
    expect(estimate.items.map((i) => [i.description, i.idleUnits])).toEqual([
      ['RDS MySQL db.t4g.medium, Multi-AZ', 1],
      ['RDS Proxy, per vCPU of its target (2 vCPU, minimum 2)', 2],
      ['RDS gp3 storage, Multi-AZ (GB)', 20],
      ['Secrets Manager secret (replicas count as secrets)', 1],
    ]);
    expect(estimate.free).toEqual([{ type: 'AWS::RDS::DBProxyTargetGroup', count: 1 }]);
  });

  test('price a Single-AZ instance at half the instance and storage rate', () => {
    const estimate = estimateStack('Db', { Resources: proxiedDatabase({ DBInstanceClass: 'db.t4g.medium', MultiAZ: false, AllocatedStorage: '20' }) });
    // $0.065 + 20 × $0.115 / 730 + $0.03 + $0.40 / 730
    expect(estimate.idleHourly).toBeCloseTo(0.065 + (20 * 0.115) / 730 + 0.03 + 0.4 / 730, 10);
  });

  test('flag db.m7g.large as resting on an unconfirmed price', () => {
    const estimate = estimateStack('Db', { Resources: proxiedDatabase({ DBInstanceClass: 'db.m7g.large', MultiAZ: true, AllocatedStorage: '100' }) });
    const instance = estimate.items.find((i) => i.description === 'RDS MySQL db.m7g.large, Multi-AZ')!;
    expect(instance.unitHourly).toBeCloseTo(0.336, 10);
    expect(instance.prices.map((p) => p.confirmation)).toEqual(['unconfirmed']);
  });

  test('leave a class missing from the table, and a proxy in front of it, not priced', () => {
    const estimate = estimateStack('Db', { Resources: proxiedDatabase({ DBInstanceClass: 'db.r8g.large', AllocatedStorage: '20' }) });
    expect(estimate.notPriced.map((n) => [n.logicalId, n.reason])).toEqual([
      ['Instance', 'instance class "db.r8g.large" has no price in the table'],
      ['Proxy', 'its target Instance cannot be priced: instance class "db.r8g.large" has no price in the table'],
    ]);
  });

  test('leave a proxy without a target group in the template not priced', () => {
    const resources = proxiedDatabase({ DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20' });
    delete resources.ProxyTargets;
    expect(estimateStack('Db', { Resources: resources }).notPriced).toEqual([
      { type: 'AWS::RDS::DBProxy', logicalId: 'Proxy', reason: 'no target group in this template names it, so its target vCPUs are unknown' },
    ]);
  });

  test('leave engines other than MySQL not priced', () => {
    const estimate = estimateStack('Db', { Resources: proxiedDatabase({ Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20' }) });
    expect(estimate.notPriced[0].reason).toBe('engine "postgres" has no price in the table (only mysql)');
  });
});
