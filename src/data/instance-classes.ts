import * as ec2 from 'aws-cdk-lib/aws-ec2';

// DB instance class families RDS for MySQL 8.4 offers (and RDS Proxy can front). Previous
// generations (t2, m4, r4, m3 ...) and EC2-only families (c*, i*, g* ...) are not offered.
const MYSQL_84_FAMILIES = new Set([
  't3', 't4g',
  'm5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7g', 'm7i', 'm8g', 'm8gd',
  'r5', 'r5b', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7g', 'r7i', 'r8g', 'r8gd',
  'x2g', 'x2idn', 'x2iedn', 'x2iezn', 'z1d',
]);

// Performance Insights is not available on the smallest burstable sizes of RDS for MySQL.
const NO_PERFORMANCE_INSIGHTS_SIZES = new Set(['micro', 'small']);

/** The class as `family.size`, e.g. `t4g.medium`. */
export function describeInstanceType(instanceType: ec2.InstanceType): { family: string; size: string } {
  const [family, size = ''] = instanceType.toString().split('.');
  return { family, size };
}

/** Whether RDS for MySQL 8.4 offers this class. */
export function isMysql84InstanceClass(instanceType: ec2.InstanceType): boolean {
  return MYSQL_84_FAMILIES.has(describeInstanceType(instanceType).family);
}

/** Whether Performance Insights can be enabled on this class. */
export function supportsPerformanceInsights(instanceType: ec2.InstanceType): boolean {
  const { family, size } = describeInstanceType(instanceType);
  return !(family.startsWith('t') && NO_PERFORMANCE_INSIGHTS_SIZES.has(size));
}

/** The families accepted, for error messages. */
export const SUPPORTED_FAMILIES_TEXT = 'a class RDS for MySQL 8.4 offers (t3, t4g, m5-m8g, r5-r8g, x2, z1d families)';
