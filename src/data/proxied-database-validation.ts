import { Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { checkDatabaseWindows } from './database-windows';
import { describeInstanceType, isMysql84InstanceClass, SUPPORTED_FAMILIES_TEXT } from './instance-classes';
import type { ResolvedAlarmThresholds } from './proxied-database-alarms';
import { resolveDatabaseParameters } from './proxied-database-parameters';
import type { ProxiedDatabaseProps } from './proxied-database-props';
import { PropsValidator } from '../core/validation';

/** The props of a ProxiedDatabase with every default applied. */
export interface ResolvedDatabaseSettings {
  readonly engine: rds.IInstanceEngine;
  readonly instanceType: ec2.InstanceType;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly removalPolicy: RemovalPolicy;
  readonly masterUsername: string;
  readonly rotation: Duration;
  readonly backupRetention: Duration;
  readonly preferredBackupWindow: string;
  readonly preferredMaintenanceWindow: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly instancePort: number;
  readonly slowQueryThreshold: Duration;
  /** The parameter group's parameters: the construct's, then the caller's. */
  readonly parameters: { [name: string]: string };
  readonly monitoringInterval: Duration;
  readonly instanceIdentifier: string;
  readonly proxyName: string;
  readonly borrowTimeout: Duration;
  readonly idleClientTimeout: Duration;
  readonly maxConnectionsPercent: number;
  readonly maxIdleConnectionsPercent: number;
  readonly alarmThresholds: ResolvedAlarmThresholds;
}

const BACKUP_WINDOW_DEFAULT = '03:00-04:00';
const MAINTENANCE_WINDOW_DEFAULT = 'sun:04:30-sun:05:30';
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/** Check every prop and resolve the defaults; one error lists all problems. */
export function validateProxiedDatabaseProps(scope: Construct, props: ProxiedDatabaseProps): ResolvedDatabaseSettings {
  const v = new PropsValidator(scope, 'ProxiedDatabase');
  const { storage = {}, backup = {}, credentials = {}, proxy = {}, monitoring = {}, alarmThresholds: alarms = {} } = props;
  const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM);
  const engineVersion = props.engineVersion ?? rds.MysqlEngineVersion.VER_8_4_8;
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
  const allocatedStorageGiB = storage.allocatedGiB ?? 20;
  const maxAllocatedStorageGiB = storage.maxAllocatedGiB ?? Math.max(100, allocatedStorageGiB);
  const maxConnectionsPercent = proxy.maxConnectionsPercent ?? 90;
  const instancePort = props.instancePort ?? 3306;

  v.check(props.vpc !== undefined && props.vpc !== null, 'vpc', 'is required: the database and its proxy run in private subnets of a VPC', props.vpc);
  let vpcSubnets: ec2.SubnetSelection = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  if (props.vpc) {
    if (!props.vpcSubnets && props.vpc.isolatedSubnets.length === 0) vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    try {
      const selected = props.vpc.selectSubnets(vpcSubnets);
      const publicIds = new Set(props.vpc.publicSubnets.map((s) => s.subnetId));
      v.check(!selected.hasPublic && !selected.subnets.some((s) => publicIds.has(s.subnetId)), 'vpcSubnets',
        'must select private or isolated subnets: a database must not sit in public subnets', describeSelection(vpcSubnets));
      const zones = selected.availabilityZones;
      if (!zones.some((z) => Token.isUnresolved(z))) {
        v.check(new Set(zones).size >= 2, 'vpcSubnets', 'must span at least 2 Availability Zones (RDS Proxy and Multi-AZ need two)', zones);
      }
    } catch (err) {
      v.fail('vpcSubnets', `must select subnets of the VPC (${(err as Error).message})`, describeSelection(vpcSubnets));
    }
  }
  v.matches('databaseName', props.databaseName, /^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a MySQL database name: a letter, then letters, digits or _ (at most 64)');
  v.check(typeof props.databaseName === 'string', 'databaseName', 'is required', props.databaseName);
  v.matches('credentials.masterUsername', credentials.masterUsername, /^[A-Za-z][A-Za-z0-9_]{0,15}$/, 'a letter, then letters, digits or _ (at most 16)');
  v.check(credentials.masterUsername === undefined || !['admin', 'rdsadmin', 'root', 'mysql'].includes(credentials.masterUsername.toLowerCase()),
    'credentials.masterUsername', 'must not be a name reserved by MySQL or RDS', credentials.masterUsername);
  v.check(isMysql84InstanceClass(instanceType), 'instanceType', `must be ${SUPPORTED_FAMILIES_TEXT}`, `db.${describeInstanceType(instanceType).family}.${describeInstanceType(instanceType).size}`);
  v.check(engineVersion.mysqlMajorVersion === '8.4', 'engineVersion', 'must be a MySQL 8.4 version (8.0 left standard support on 2026-07-31)', engineVersion.mysqlFullVersion);
  v.durationInRange('credentials.rotation', credentials.rotation, Duration.days(1), Duration.days(365));
  v.durationInRange('backup.retention', backup.retention, Duration.days(1), Duration.days(35));
  v.check(backup.retention === undefined || backup.retention.isUnresolved() || Number.isInteger(backup.retention.toHours() / 24),
    'backup.retention', 'must be a whole number of days', backup.retention);
  checkDatabaseWindows(v, backup.preferredWindow, props.preferredMaintenanceWindow,
    { backup: BACKUP_WINDOW_DEFAULT, maintenance: MAINTENANCE_WINDOW_DEFAULT });
  v.oneOf('removalPolicy', props.removalPolicy, [RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY]);
  v.integerInRange('storage.allocatedGiB', storage.allocatedGiB, 20, 65536);
  v.integerInRange('storage.maxAllocatedGiB', storage.maxAllocatedGiB, allocatedStorageGiB, 65536);
  v.integerInRange('instancePort', props.instancePort, 1150, 65535);
  v.durationInRange('monitoring.slowQueryThreshold', monitoring.slowQueryThreshold, Duration.millis(10), Duration.hours(1));
  const interval = monitoring.enhancedMonitoringInterval;
  v.check(interval === undefined || interval.isUnresolved() || MONITORING_INTERVALS.includes(interval.toSeconds()),
    'monitoring.enhancedMonitoringInterval', `must be one of ${MONITORING_INTERVALS.join(', ')} seconds`, interval);
  v.matches('instanceIdentifier', props.instanceIdentifier, /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/, 'lower-case letters, digits and single hyphens, starting with a letter (at most 63)');
  v.integerInRange('proxy.maxConnectionsPercent', proxy.maxConnectionsPercent, 1, 100);
  v.integerInRange('proxy.maxIdleConnectionsPercent', proxy.maxIdleConnectionsPercent, 0, maxConnectionsPercent);
  v.durationInRange('proxy.borrowTimeout', proxy.borrowTimeout, Duration.seconds(1), Duration.hours(1));
  v.durationInRange('proxy.idleClientTimeout', proxy.idleClientTimeout, Duration.minutes(1), Duration.hours(8));
  v.inRange('alarmThresholds.cpuPercent', alarms.cpuPercent, 1, 100);
  v.inRange('alarmThresholds.proxyConnectionsPercent', alarms.proxyConnectionsPercent, 1, 100);
  v.integerInRange('alarmThresholds.pinnedSessions', alarms.pinnedSessions, 1, 100_000);
  v.inRange('alarmThresholds.freeStorageGiB', alarms.freeStorageGiB, 0.1, 65536);
  const slowQueryThreshold = monitoring.slowQueryThreshold ?? Duration.seconds(1);
  const parameters = resolveDatabaseParameters(v, props.parameters, slowQueryThreshold);
  v.throwIfInvalid();

  return {
    engine: rds.DatabaseInstanceEngine.mysql({ version: engineVersion }),
    instanceType,
    vpcSubnets,
    removalPolicy,
    masterUsername: credentials.masterUsername ?? 'dbadmin',
    rotation: credentials.rotation ?? Duration.days(30),
    backupRetention: backup.retention ?? Duration.days(7),
    preferredBackupWindow: backup.preferredWindow ?? BACKUP_WINDOW_DEFAULT,
    preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? MAINTENANCE_WINDOW_DEFAULT,
    allocatedStorageGiB,
    maxAllocatedStorageGiB,
    instancePort,
    slowQueryThreshold,
    parameters,
    monitoringInterval: monitoring.enhancedMonitoringInterval ?? Duration.seconds(60),
    instanceIdentifier: props.instanceIdentifier ?? physicalName(scope, 63),
    proxyName: physicalName(scope, 60),
    borrowTimeout: proxy.borrowTimeout ?? Duration.seconds(30),
    idleClientTimeout: proxy.idleClientTimeout ?? Duration.minutes(30),
    maxConnectionsPercent,
    maxIdleConnectionsPercent: proxy.maxIdleConnectionsPercent ?? Math.min(50, maxConnectionsPercent),
    alarmThresholds: {
      cpuPercent: alarms.cpuPercent ?? 80,
      freeStorageBytes: (alarms.freeStorageGiB ?? allocatedStorageGiB / 10) * 1024 ** 3,
      proxyConnectionsPercent: alarms.proxyConnectionsPercent ?? 90,
      pinnedSessions: alarms.pinnedSessions ?? 1,
    },
  };
}

/** A name unique per stack and construct path that RDS accepts for instances and proxies. */
function physicalName(scope: Construct, maxLength: number): string {
  const raw = Names.uniqueResourceName(scope, { maxLength, separator: '-' }).toLowerCase();
  const cleaned = raw.replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return cleaned.length > 0 ? cleaned.slice(0, maxLength).replace(/-+$/, '') : 'proxied-database';
}

function describeSelection(selection: ec2.SubnetSelection): string {
  return selection.subnetType ?? selection.subnetGroupName ?? (selection.subnets ? `${selection.subnets.length} subnets` : 'custom selection');
}
