// Resources billed a flat monthly fee while they exist: keys, alarms, dashboards, secrets,
// web ACLs, hosted zones and private CAs.
import { line, notPriced, priced, Pricer } from '../model';
import { Price, PRICES } from '../prices';
import { isRecord, listLength, literalNumber, literalString } from '../template';

const fees = PRICES.monthly;

/** One unit of a monthly fee per resource. */
const flat = (description: string, price: Price): Pricer => (r) => priced([line(r, description, price, 1)]);

/**
 * CloudWatch bills alarms per metric they evaluate: one for a plain alarm, one per MetricStat
 * of a metric-math alarm (plus two per anomaly-detection band), at the high-resolution rate
 * when the period is under a minute.
 */
const priceAlarm: Pricer = (r) => {
  const metrics = r.properties.Metrics;
  let count = 1;
  let period = literalNumber(r.properties.Period);
  if (metrics !== undefined) {
    if (!Array.isArray(metrics)) return notPriced('its Metrics are not a literal list');
    const queries = metrics.filter(isRecord);
    const stats = queries.filter((q) => isRecord(q.MetricStat));
    const bands = queries.filter((q) => /ANOMALY_DETECTION_BAND/.test(literalString(q.Expression) ?? ''));
    count = stats.length + 2 * bands.length;
    if (count === 0) return notPriced('a metric-math alarm without MetricStat (a Metrics Insights query?) has no price in the table');
    period = Math.min(...stats.map((q) => literalNumber((q.MetricStat as Record<string, unknown>).Period) ?? 60));
  }
  const highResolution = period !== undefined && period < 60;
  return highResolution
    ? priced([line(r, 'high-resolution alarm metric', fees.highResolutionAlarmMetric, count)])
    : priced([line(r, 'alarm metric (standard resolution)', fees.alarmMetric, count)]);
};

/** A secret and each of its replicas. */
const priceSecret: Pricer = (r) => {
  const replicas = r.properties.ReplicaRegions === undefined ? 0 : listLength(r.properties.ReplicaRegions);
  if (replicas === undefined) return notPriced('its ReplicaRegions are not a literal list');
  return priced([line(r, 'Secrets Manager secret (replicas count as secrets)', fees.secret, 1 + replicas)]);
};

/** A web ACL plus one rule fee per rule or rule group it holds. */
const priceWebAcl: Pricer = (r) => {
  const rules = r.properties.Rules === undefined ? 0 : listLength(r.properties.Rules);
  if (rules === undefined) return notPriced('its Rules are not a literal list');
  return priced([line(r, 'WAF web ACL', fees.wafWebAcl, 1), line(r, 'WAF rule or rule group', fees.wafRule, rules)]);
};

/** General-purpose CAs cost eight times a short-lived-certificate CA. */
const priceCertificateAuthority: Pricer = (r) => {
  const mode = literalString(r.properties.UsageMode) ?? 'GENERAL_PURPOSE';
  if (mode === 'SHORT_LIVED_CERTIFICATE') return priced([line(r, 'Private CA, short-lived certificate mode', fees.privateCaShortLived, 1)]);
  if (mode === 'GENERAL_PURPOSE') return priced([line(r, 'Private CA, general-purpose mode', fees.privateCaGeneralPurpose, 1)]);
  return notPriced(`usage mode ${JSON.stringify(r.properties.UsageMode)} is not a literal GENERAL_PURPOSE or SHORT_LIVED_CERTIFICATE`);
};

/** Pricers of this file by CloudFormation type. */
export const MONTHLY_FEE_PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::KMS::Key': flat('KMS customer managed key', fees.kmsKey),
  'AWS::KMS::ReplicaKey': flat('KMS replica key', fees.kmsKey),
  'AWS::CloudWatch::Alarm': priceAlarm,
  'AWS::CloudWatch::CompositeAlarm': flat('composite alarm', fees.compositeAlarm),
  'AWS::CloudWatch::Dashboard': flat('CloudWatch dashboard', fees.dashboard),
  'AWS::SecretsManager::Secret': priceSecret,
  'AWS::WAFv2::WebACL': priceWebAcl,
  'AWS::Route53::HostedZone': flat('Route 53 hosted zone', fees.hostedZone),
  // Cloud Map DNS namespaces create a Route 53 hosted zone (HTTP namespaces do not).
  'AWS::ServiceDiscovery::PrivateDnsNamespace': flat('Route 53 hosted zone of a Cloud Map DNS namespace', fees.hostedZone),
  'AWS::ServiceDiscovery::PublicDnsNamespace': flat('Route 53 hosted zone of a Cloud Map DNS namespace', fees.hostedZone),
  'AWS::ACMPCA::CertificateAuthority': priceCertificateAuthority,
};
