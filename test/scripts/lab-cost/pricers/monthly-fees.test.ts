import { estimateStack } from '../../../../scripts/lab-cost/estimate';

const unitsOf = (resources: Record<string, { Type: string; Properties: Record<string, unknown> }>) =>
  estimateStack('Fees', { Resources: resources }).items.map((i) => [i.description, i.idleUnits]);

describe('monthly fees', () => {
  test('bill a plain alarm one metric, a metric-math alarm one per MetricStat, and sub-minute periods at the high-resolution rate', () => {
    const metricStat = (period: number) => ({ MetricStat: { Metric: { MetricName: 'Errors', Namespace: 'AWS/Lambda' }, Period: period, Stat: 'Sum' } });
    const estimate = estimateStack('Alarms', {
      Resources: {
        Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Period: 60 } },
        ErrorRate: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { Metrics: [{ Id: 'rate', Expression: 'errors / requests' }, { Id: 'errors', ...metricStat(300) }, { Id: 'requests', ...metricStat(300) }] },
        },
        Fast: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Period: 10 } },
      },
    });
    expect(estimate.items.map((i) => [i.description, i.idleUnits]).sort()).toEqual([
      ['alarm metric (standard resolution)', 3],
      ['high-resolution alarm metric', 1],
    ]);
    // $0.30 / 730 + 3 × $0.10 / 730
    expect(estimate.idleHourly).toBeCloseTo((0.3 + 0.3) / 730, 12);
  });

  test('bill a web ACL plus one rule fee per rule', () => {
    expect(unitsOf({ Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }] } } })).toEqual([
      ['WAF web ACL', 1],
      ['WAF rule or rule group', 3],
    ]);
  });

  test('bill a private CA by its mode: general-purpose unless it is short-lived', () => {
    const general = estimateStack('Ca', { Resources: { Ca: { Type: 'AWS::ACMPCA::CertificateAuthority', Properties: { Type: 'ROOT' } } } });
    const shortLived = estimateStack('Ca', { Resources: { Ca: { Type: 'AWS::ACMPCA::CertificateAuthority', Properties: { UsageMode: 'SHORT_LIVED_CERTIFICATE' } } } });
    expect(general.idleHourly).toBeCloseTo(400 / 730, 12);
    expect(shortLived.idleHourly).toBeCloseTo(50 / 730, 12);
  });

  test('bill each secret replica as a secret and a Cloud Map DNS namespace as a hosted zone', () => {
    expect(unitsOf({
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { ReplicaRegions: [{ Region: 'eu-west-1' }] } },
      Namespace: { Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace', Properties: { Name: 'iot-platform.local' } },
    })).toEqual([
      ['Secrets Manager secret (replicas count as secrets)', 2],
      ['Route 53 hosted zone of a Cloud Map DNS namespace', 1],
    ]);
  });
});
