import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { describeInstanceType, isMysql84InstanceClass, SUPPORTED_FAMILIES_TEXT, supportsPerformanceInsights } from './instance-classes';
import { createDatabaseAlarms, createDatabaseDashboard } from './proxied-database-monitoring';
import { ConstructAlarms } from '../core/alarms';
import { createEncryptionKey, createLogGroup, DEFAULT_LOG_RETENTION } from '../core/defaults';
import { acknowledgeNagFindings } from '../core/nag';
import { PropsValidator } from '../core/validation';

/** Settings of a {@link ProxiedDatabase}. */
export interface ProxiedDatabaseProps {
  /** The VPC of the database and the proxy. Clients reach the proxy from inside it. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the database, the proxy and the rotation function; public subnets are refused.
   * @default - the VPC's isolated subnets, or its private subnets with egress when it has no isolated ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Name of the database created in the instance (letters, digits, `_`; starts with a letter). */
  readonly databaseName: string;
  /**
   * Instance class. Performance Insights is turned on where the class supports it (not on micro/small burstable classes).
   * @default db.t4g.medium - the smallest Graviton burstable class with Performance Insights for MySQL
   */
  readonly instanceType?: ec2.InstanceType;
  /** A standby in a second Availability Zone with automatic failover. @default true */
  readonly multiAz?: boolean;
  /** MySQL 8.4 engine version. @default rds.MysqlEngineVersion.VER_8_4_8 */
  readonly engineVersion?: rds.MysqlEngineVersion;
  /** User name of the generated master secret. @default 'dbadmin' */
  readonly masterUsername?: string;
  /** Single-user rotation interval of the master secret (1 to 365 days). @default Duration.days(30) */
  readonly rotation?: Duration;
  /**
   * Interface endpoint for Secrets Manager used by the rotation function. Needed when the subnets
   * have no route to Secrets Manager and the endpoint has no private DNS.
   * @default - the public Secrets Manager endpoint (private DNS of an existing endpoint also works)
   */
  readonly secretsManagerEndpoint?: ec2.IInterfaceVpcEndpoint;
  /**
   * SNAPSHOT or RETAIN keep the data (with deletion protection on); DESTROY deletes the instance,
   * its automated backups and its log groups with the stack (labs).
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Key for storage, secret and Performance Insights encryption. @default - a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /** Initial storage in GiB (gp3). @default 20 */
  readonly allocatedStorageGiB?: number;
  /** Storage autoscaling ceiling in GiB. @default 100 */
  readonly maxAllocatedStorageGiB?: number;
  /** Automated backup retention (1 to 35 days). @default Duration.days(7) */
  readonly backupRetention?: Duration;
  /** Daily backup window, UTC `hh24:mi-hh24:mi`. @default '03:00-04:00' */
  readonly preferredBackupWindow?: string;
  /** Weekly maintenance window, UTC `ddd:hh24:mi-ddd:hh24:mi`, not overlapping the backup window. @default 'sun:04:30-sun:05:30' */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Port of the instance. Clients never see it: the proxy's MySQL endpoint always listens on 3306.
   * @default 3306
   */
  readonly instancePort?: number;
  /** Statements slower than this go to the slow query log (exported to CloudWatch Logs). @default Duration.seconds(1) */
  readonly slowQueryThreshold?: Duration;
  /** Retention of the exported error and slow query logs. @default DEFAULT_LOG_RETENTION (one month) */
  readonly logRetention?: logs.RetentionDays;
  /** Enhanced Monitoring interval (1, 5, 10, 15, 30 or 60 seconds). @default Duration.seconds(60) */
  readonly monitoringInterval?: Duration;
  /**
   * DB instance identifier. Fixed so that the exported log groups can be created (with retention)
   * before the instance; changes that replace the instance need a new identifier.
   * @default - derived from the construct path, unique per stack
   */
  readonly instanceIdentifier?: string;
  /** Share of max_connections the proxy may open (1-100). @default 90 */
  readonly maxConnectionsPercent?: number;
  /** Share of max_connections the proxy keeps open while idle (0-maxConnectionsPercent). @default 50 */
  readonly maxIdleConnectionsPercent?: number;
  /** How long a client waits for a pooled connection when the pool is exhausted (1 s - 1 h). @default Duration.seconds(30) */
  readonly borrowTimeout?: Duration;
  /** The proxy closes client connections idle for this long (1 min - 8 h). @default Duration.minutes(30) */
  readonly idleClientTimeout?: Duration;
  /** Statements the proxy runs on each new database connection: the place for session settings. @default - none */
  readonly initQuery?: string;
  /**
   * Secrets of further database users the proxy may log in as (one per application user, `username` and `password` keys).
   * The master secret is always registered.
   * @default - none
   */
  readonly userSecrets?: secretsmanager.ISecret[];
  /** Alarms notify this topic (ALARM and OK). @default - no notification */
  readonly alarmTopic?: sns.ITopic;
  /** @default 80 */
  readonly cpuAlarmThresholdPercent?: number;
  /** @default - 10% of allocatedStorageGiB */
  readonly freeStorageAlarmThresholdGiB?: number;
  /** Alarm when the proxy uses this share of the connections it may open. @default 90 */
  readonly connectionsAlarmThresholdPercent?: number;
  /** Alarm when this many sessions stay pinned (average over 15 minutes). @default 1 */
  readonly pinnedSessionsAlarmThreshold?: number;
  /** Create a CloudWatch dashboard. @default false */
  readonly dashboard?: boolean;
}

/** The MySQL port of RDS Proxy endpoints (not configurable). */
export const PROXY_PORT = 3306;

/**
 * RDS for MySQL 8.4 (Multi-AZ, encrypted, deletion-protected, backed up, monitored) behind an
 * RDS Proxy that requires TLS and IAM authentication. Clients get access with
 * {@link grantConnect}, which grants `rds-db:connect` on the proxy and opens the proxy's
 * security group to them - the network path aws-cdk-lib's grantConnect leaves out.
 */
export class ProxiedDatabase extends Construct implements ec2.IConnectable {
  public readonly instance: rds.DatabaseInstance;
  public readonly proxy: rds.DatabaseProxy;
  /** The generated master secret (single-user rotation). */
  public readonly secret: secretsmanager.ISecret;
  /** The proxy's endpoint: the host clients connect to, on port {@link PROXY_PORT}. */
  public readonly proxyEndpoint: string;
  /** Security group of the proxy, the only way in; {@link grantConnect} adds ingress here. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Security group of the instance: ingress from the proxy and the rotation function only. */
  public readonly instanceSecurityGroup: ec2.SecurityGroup;
  /** Encrypts storage, the secret and Performance Insights. */
  public readonly encryptionKey: kms.IKey;
  public readonly parameterGroup: rds.ParameterGroup;
  public readonly errorLogGroup: logs.LogGroup;
  public readonly slowQueryLogGroup: logs.LogGroup;
  public readonly secretRotation: secretsmanager.SecretRotation;
  public readonly databaseName: string;
  public readonly masterUsername: string;
  /** Connections of the proxy (default port 3306). */
  public readonly connections: ec2.Connections;
  public readonly cpuAlarm: cloudwatch.IAlarm;
  public readonly freeStorageAlarm: cloudwatch.IAlarm;
  /** Proxy pool saturation: database connections as a share of those the proxy may open. */
  public readonly connectionsAlarm: cloudwatch.IAlarm;
  public readonly pinnedSessionsAlarm: cloudwatch.IAlarm;
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Whether Performance Insights is on (it is wherever the class supports it). */
  public readonly performanceInsightsEnabled: boolean;

  private readonly alarmSet: ConstructAlarms;
  private readonly idleClientTimeout: Duration;

  constructor(scope: Construct, id: string, props: ProxiedDatabaseProps) {
    super(scope, id);
    const settings = validate(this, props);
    const removalPolicy = settings.removalPolicy;
    const destroy = removalPolicy === RemovalPolicy.DESTROY;
    this.databaseName = props.databaseName;
    this.masterUsername = settings.masterUsername;
    this.idleClientTimeout = settings.idleClientTimeout;

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the ${this.node.path} database storage, secret and Performance Insights`,
      removalPolicy,
    });

    this.instanceSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: props.vpc,
      description: `${this.node.path} database instance: reachable from its proxy and rotation function only`,
      allowAllOutbound: false,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', {
      vpc: props.vpc,
      description: `${this.node.path} RDS Proxy: clients granted with grantConnect`,
      allowAllOutbound: false,
    });

    this.parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine: settings.engine,
      description: `${this.node.path}: slow query log to CloudWatch Logs`,
      parameters: {
        slow_query_log: '1',
        long_query_time: String(settings.slowQueryThreshold.toMilliseconds() / 1000),
        log_output: 'FILE',
      },
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    // RDS writes exports to /aws/rds/instance/<id>/<log>. Creating those groups first (with
    // retention) is the CloudFormation-native alternative to a log-retention custom resource.
    const identifier = settings.instanceIdentifier;
    const logRemoval = destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.errorLogGroup = createLogGroup(this, 'ErrorLog', {
      logGroupName: `/aws/rds/instance/${identifier}/error`, retention: props.logRetention ?? DEFAULT_LOG_RETENTION, removalPolicy: logRemoval,
    });
    this.slowQueryLogGroup = createLogGroup(this, 'SlowQueryLog', {
      logGroupName: `/aws/rds/instance/${identifier}/slowquery`, retention: props.logRetention ?? DEFAULT_LOG_RETENTION, removalPolicy: logRemoval,
    });

    this.performanceInsightsEnabled = supportsPerformanceInsights(settings.instanceType);
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine: settings.engine,
      instanceType: settings.instanceType,
      instanceIdentifier: identifier,
      vpc: props.vpc,
      vpcSubnets: settings.vpcSubnets,
      securityGroups: [this.instanceSecurityGroup],
      publiclyAccessible: false,
      multiAz: props.multiAz ?? true,
      databaseName: props.databaseName,
      port: settings.instancePort,
      credentials: rds.Credentials.fromGeneratedSecret(settings.masterUsername, { encryptionKey: this.encryptionKey }),
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      storageType: rds.StorageType.GP3,
      allocatedStorage: settings.allocatedStorageGiB,
      maxAllocatedStorage: settings.maxAllocatedStorageGiB,
      backupRetention: settings.backupRetention,
      preferredBackupWindow: settings.preferredBackupWindow,
      preferredMaintenanceWindow: settings.preferredMaintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: destroy,
      deletionProtection: !destroy,
      removalPolicy,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      parameterGroup: this.parameterGroup,
      cloudwatchLogsExports: ['error', 'slowquery'],
      monitoringInterval: settings.monitoringInterval,
      enablePerformanceInsights: this.performanceInsightsEnabled,
      performanceInsightEncryptionKey: this.performanceInsightsEnabled ? this.encryptionKey : undefined,
      performanceInsightRetention: this.performanceInsightsEnabled ? rds.PerformanceInsightRetention.DEFAULT : undefined,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      engineLifecycleSupport: rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED,
      iamAuthentication: false,
    });
    this.instance.node.addDependency(this.errorLogGroup, this.slowQueryLogGroup);
    this.secret = this.instance.secret!;

    this.secretRotation = this.instance.addRotationSingleUser({
      automaticallyAfter: settings.rotation,
      vpcSubnets: settings.vpcSubnets,
      endpoint: props.secretsManagerEndpoint,
    });

    this.proxy = new rds.DatabaseProxy(this, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromInstance(this.instance),
      dbProxyName: settings.proxyName,
      secrets: [this.secret, ...props.userSecrets ?? []],
      vpc: props.vpc,
      vpcSubnets: settings.vpcSubnets,
      securityGroups: [this.securityGroup],
      requireTLS: true,
      iamAuth: true,
      debugLogging: false,
      borrowTimeout: settings.borrowTimeout,
      idleClientTimeout: settings.idleClientTimeout,
      maxConnectionsPercent: settings.maxConnectionsPercent,
      maxIdleConnectionsPercent: settings.maxIdleConnectionsPercent,
      initQuery: props.initQuery,
    });
    // DatabaseProxy opens the instance port from the proxy (ingress on the instance group, egress on the proxy group).
    this.proxyEndpoint = this.proxy.endpoint;
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(PROXY_PORT) });

    this.alarmSet = new ConstructAlarms(props.alarmTopic);
    const alarmSet = createDatabaseAlarms(this, this.alarmSet, this.instance, this.proxy, {
      cpuPercent: props.cpuAlarmThresholdPercent ?? 80,
      freeStorageBytes: (props.freeStorageAlarmThresholdGiB ?? settings.allocatedStorageGiB / 10) * 1024 ** 3,
      proxyConnectionsPercent: props.connectionsAlarmThresholdPercent ?? 90,
      pinnedSessions: props.pinnedSessionsAlarmThreshold ?? 1,
    });
    this.cpuAlarm = alarmSet.cpuAlarm;
    this.freeStorageAlarm = alarmSet.freeStorageAlarm;
    this.connectionsAlarm = alarmSet.connectionsAlarm;
    this.pinnedSessionsAlarm = alarmSet.pinnedSessionsAlarm;
    if (props.dashboard) this.dashboard = createDatabaseDashboard(this, this.instance, this.proxy, alarmSet);

    this.acknowledgeByDesignFindings(settings.instancePort, destroy);
  }

  /** Every alarm of the database, the proxy and the instance. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** Wire actions (e.g. an SNS action) to every alarm, present and future, on ALARM and OK. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmSet.addAlarmAction(...actions);
  }

  /**
   * Let `grantee` connect through the proxy as `dbUser` with an IAM token: grants
   * `rds-db:connect` on the proxy for that user and, when the grantee has security groups
   * (a function in a VPC, an ECS service, an instance), allows it into the proxy's security
   * group on port 3306. A function outside any VPC cannot reach the proxy and is refused.
   * `dbUser` must have a secret registered with the proxy (the master user always has).
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    if (!Token.isUnresolved(dbUser) && !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(dbUser ?? '')) {
      throw new Error(`ProxiedDatabase at '${this.node.path}': grantConnect dbUser must be a MySQL user name (letter, then letters, digits or _; at most 32), got '${dbUser}'`);
    }
    const boundToVpc = (grantee as { isBoundToVpc?: unknown }).isBoundToVpc;
    if (boundToVpc === false) {
      const path = (grantee as unknown as IConstruct).node?.path ?? 'the function';
      throw new Error(`ProxiedDatabase at '${this.node.path}': grantConnect cannot give '${path}' a network path to the proxy because the function is not in a VPC ` +
        '(or was imported without its security group); create it with vpc (the database VPC or a peered one)');
    }
    const connectable = grantee as Partial<ec2.IConnectable>;
    if (boundToVpc === true || connectable.connections instanceof ec2.Connections) {
      this.connections.allowDefaultPortFrom(connectable as ec2.IConnectable, `${dbUser} through RDS Proxy`);
    }
    return this.proxy.grantConnect(grantee, dbUser);
  }

  /**
   * The environment of a function using the library's db-query runtime: `DB_QUERY_CONFIG`
   * with the proxy endpoint, port, user and database, and a staleness window below the
   * proxy's idle client timeout.
   */
  public connectionEnvironment(dbUser: string): { [key: string]: string } {
    const staleAfterMs = Math.max(1000, Math.min(this.idleClientTimeout.toMilliseconds() - 60_000, 300_000));
    return {
      DB_QUERY_CONFIG: Stack.of(this).toJsonString({
        host: this.proxyEndpoint, port: PROXY_PORT, user: dbUser, database: this.databaseName, staleAfterMs,
      }),
    };
  }

  private acknowledgeByDesignFindings(instancePort: number, destroy: boolean): void {
    if (destroy) {
      acknowledgeNagFindings(this.instance, [{
        id: 'AwsSolutions-RDS10',
        reason: 'Deletion protection is on by default; the caller chose removalPolicy DESTROY (labs, integ tests), which asks for the instance to be deletable with its stack.',
      }]);
    }
    if (instancePort === 3306) {
      acknowledgeNagFindings(this.instance, [{
        id: 'AwsSolutions-RDS11',
        reason: 'Clients never connect to the instance: they reach it through RDS Proxy, whose MySQL endpoint always listens on 3306 whatever the instance port. ' +
          'The instance security group admits only the proxy and the rotation function, so a non-default instance port would hide nothing from anyone; ' +
          'instancePort can still be set for organisations that require it.',
      }]);
    }
    const monitoringRole = this.instance.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      acknowledgeNagFindings(monitoringRole, [{
        id: 'AwsSolutions-IAM4',
        reason: 'AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy RDS Enhanced Monitoring requires; it only writes to the RDSOSMetrics log group.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole'],
      }]);
    }
  }
}

interface ResolvedSettings {
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
  readonly monitoringInterval: Duration;
  readonly instanceIdentifier: string;
  readonly proxyName: string;
  readonly borrowTimeout: Duration;
  readonly idleClientTimeout: Duration;
  readonly maxConnectionsPercent: number;
  readonly maxIdleConnectionsPercent: number;
}

const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/i;
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/** Check every prop and resolve the defaults; one error lists all problems. */
function validate(scope: Construct, props: ProxiedDatabaseProps): ResolvedSettings {
  const v = new PropsValidator(scope, 'ProxiedDatabase');
  const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM);
  const engineVersion = props.engineVersion ?? rds.MysqlEngineVersion.VER_8_4_8;
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
  const allocatedStorageGiB = props.allocatedStorageGiB ?? 20;
  const maxAllocatedStorageGiB = props.maxAllocatedStorageGiB ?? Math.max(100, allocatedStorageGiB);
  const maxConnectionsPercent = props.maxConnectionsPercent ?? 90;
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
  v.matches('masterUsername', props.masterUsername, /^[A-Za-z][A-Za-z0-9_]{0,15}$/, 'a letter, then letters, digits or _ (at most 16)');
  v.check(props.masterUsername === undefined || !['admin', 'rdsadmin', 'root', 'mysql'].includes(props.masterUsername.toLowerCase()),
    'masterUsername', 'must not be a name reserved by MySQL or RDS', props.masterUsername);
  v.check(isMysql84InstanceClass(instanceType), 'instanceType', `must be ${SUPPORTED_FAMILIES_TEXT}`, `db.${describeInstanceType(instanceType).family}.${describeInstanceType(instanceType).size}`);
  v.check(engineVersion.mysqlMajorVersion === '8.4', 'engineVersion', 'must be a MySQL 8.4 version (8.0 left standard support on 2026-07-31)', engineVersion.mysqlFullVersion);
  v.durationInRange('rotation', props.rotation, Duration.days(1), Duration.days(365));
  v.durationInRange('backupRetention', props.backupRetention, Duration.days(1), Duration.days(35));
  v.check(props.backupRetention === undefined || props.backupRetention.isUnresolved() || Number.isInteger(props.backupRetention.toHours() / 24),
    'backupRetention', 'must be a whole number of days', props.backupRetention);
  v.matches('preferredBackupWindow', props.preferredBackupWindow, BACKUP_WINDOW, 'a UTC window hh24:mi-hh24:mi');
  v.matches('preferredMaintenanceWindow', props.preferredMaintenanceWindow, MAINTENANCE_WINDOW, 'a UTC window ddd:hh24:mi-ddd:hh24:mi');
  v.oneOf('removalPolicy', props.removalPolicy, [RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY]);
  v.integerInRange('allocatedStorageGiB', props.allocatedStorageGiB, 20, 65536);
  v.integerInRange('maxAllocatedStorageGiB', props.maxAllocatedStorageGiB, allocatedStorageGiB, 65536);
  v.integerInRange('instancePort', props.instancePort, 1150, 65535);
  v.durationInRange('slowQueryThreshold', props.slowQueryThreshold, Duration.millis(10), Duration.hours(1));
  const interval = props.monitoringInterval;
  v.check(interval === undefined || interval.isUnresolved() || MONITORING_INTERVALS.includes(interval.toSeconds()),
    'monitoringInterval', `must be one of ${MONITORING_INTERVALS.join(', ')} seconds`, props.monitoringInterval);
  v.matches('instanceIdentifier', props.instanceIdentifier, /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/, 'lower-case letters, digits and single hyphens, starting with a letter (at most 63)');
  v.integerInRange('maxConnectionsPercent', props.maxConnectionsPercent, 1, 100);
  v.integerInRange('maxIdleConnectionsPercent', props.maxIdleConnectionsPercent, 0, maxConnectionsPercent);
  v.durationInRange('borrowTimeout', props.borrowTimeout, Duration.seconds(1), Duration.hours(1));
  v.durationInRange('idleClientTimeout', props.idleClientTimeout, Duration.minutes(1), Duration.hours(8));
  v.inRange('cpuAlarmThresholdPercent', props.cpuAlarmThresholdPercent, 1, 100);
  v.inRange('connectionsAlarmThresholdPercent', props.connectionsAlarmThresholdPercent, 1, 100);
  v.integerInRange('pinnedSessionsAlarmThreshold', props.pinnedSessionsAlarmThreshold, 1, 100_000);
  v.inRange('freeStorageAlarmThresholdGiB', props.freeStorageAlarmThresholdGiB, 0.1, 65536);
  v.throwIfInvalid();

  return {
    engine: rds.DatabaseInstanceEngine.mysql({ version: engineVersion }),
    instanceType,
    vpcSubnets,
    removalPolicy,
    masterUsername: props.masterUsername ?? 'dbadmin',
    rotation: props.rotation ?? Duration.days(30),
    backupRetention: props.backupRetention ?? Duration.days(7),
    preferredBackupWindow: props.preferredBackupWindow ?? '03:00-04:00',
    preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:04:30-sun:05:30',
    allocatedStorageGiB,
    maxAllocatedStorageGiB,
    instancePort,
    slowQueryThreshold: props.slowQueryThreshold ?? Duration.seconds(1),
    monitoringInterval: props.monitoringInterval ?? Duration.seconds(60),
    instanceIdentifier: props.instanceIdentifier ?? physicalName(scope, 63),
    proxyName: physicalName(scope, 60),
    borrowTimeout: props.borrowTimeout ?? Duration.seconds(30),
    idleClientTimeout: props.idleClientTimeout ?? Duration.minutes(30),
    maxConnectionsPercent,
    maxIdleConnectionsPercent: props.maxIdleConnectionsPercent ?? Math.min(50, maxConnectionsPercent),
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
