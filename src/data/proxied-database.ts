import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { DB_QUERY_SETTINGS_VARIABLE, DbQuerySettingsDocument } from './db-query-settings';
import { supportsPerformanceInsights } from './instance-classes';
import { createDatabaseAlarms, createDatabaseDashboard } from './proxied-database-alarms';
import { ProxiedDatabaseProps } from './proxied-database-props';
import { validateProxiedDatabaseProps } from './proxied-database-validation';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { createEncryptionKey, createLogGroup } from '../core/defaults';
import { acknowledgeNagFindings } from '../core/nag';

/** The MySQL port of RDS Proxy endpoints (not configurable). */
const PROXY_PORT = 3306;

/**
 * RDS for MySQL 8.4 (Multi-AZ, encrypted, deletion-protected, backed up, monitored) behind an
 * RDS Proxy that requires TLS and IAM authentication. Clients get access with
 * {@link grantConnect}, which grants `rds-db:connect` on the proxy and opens the proxy's
 * security group to them - the network path aws-cdk-lib's grantConnect leaves out.
 */
export class ProxiedDatabase extends AlarmedConstruct implements ec2.IConnectable {
  public readonly instance: rds.DatabaseInstance;
  public readonly proxy: rds.DatabaseProxy;
  /** The generated master secret (single-user rotation). */
  public readonly secret: secretsmanager.ISecret;
  /** The proxy's endpoint: the host clients connect to, on port 3306. */
  public readonly proxyEndpoint: string;
  /** Security group of the proxy, the only way in; {@link grantConnect} adds ingress here. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Security group of the instance: ingress from the proxy and the rotation function only. */
  public readonly instanceSecurityGroup: ec2.SecurityGroup;
  /** Encrypts storage, the secret, Performance Insights and the exported log groups. */
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

  private readonly idleClientTimeout: Duration;

  constructor(scope: Construct, id: string, props: ProxiedDatabaseProps) {
    super(scope, id, props.alarmTopic);
    const settings = validateProxiedDatabaseProps(this, props);
    const removalPolicy = settings.removalPolicy;
    const destroy = removalPolicy === RemovalPolicy.DESTROY;
    this.databaseName = props.databaseName;
    this.masterUsername = settings.masterUsername;
    this.idleClientTimeout = settings.idleClientTimeout;

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the ${this.node.path} database storage, secret, Performance Insights and exported logs`,
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
      // The description is kept as it was: changing it replaces the parameter group of deployed databases.
      description: `${this.node.path}: slow query log to CloudWatch Logs`,
      parameters: settings.parameters,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    // RDS writes exports to /aws/rds/instance/<id>/<log>. Creating those groups first (with
    // retention) is the CloudFormation-native alternative to a log-retention custom resource.
    const identifier = settings.instanceIdentifier;
    const logRemoval = destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const exportedLog = (name: string) => ({
      logGroupName: `/aws/rds/instance/${identifier}/${name}`, encryptionKey: this.encryptionKey, retention: props.logRetention, removalPolicy: logRemoval,
    });
    this.errorLogGroup = createLogGroup(this, 'ErrorLog', exportedLog('error'));
    this.slowQueryLogGroup = createLogGroup(this, 'SlowQueryLog', exportedLog('slowquery'));

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
      endpoint: props.credentials?.secretsManagerEndpoint,
    });

    this.proxy = new rds.DatabaseProxy(this, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromInstance(this.instance),
      dbProxyName: settings.proxyName,
      secrets: [this.secret, ...props.proxy?.userSecrets ?? []],
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
      initQuery: props.proxy?.initQuery,
    });
    // DatabaseProxy opens the instance port from the proxy (ingress on the instance group, egress on the proxy group).
    this.proxyEndpoint = this.proxy.endpoint;
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(PROXY_PORT) });

    const alarmSet = createDatabaseAlarms(this, this._alarmSet, this.instance, this.proxy, settings.alarmThresholds);
    this.cpuAlarm = alarmSet.cpuAlarm;
    this.freeStorageAlarm = alarmSet.freeStorageAlarm;
    this.connectionsAlarm = alarmSet.connectionsAlarm;
    this.pinnedSessionsAlarm = alarmSet.pinnedSessionsAlarm;
    if (props.monitoring?.dashboard) this.dashboard = createDatabaseDashboard(this, this.instance, this.proxy, alarmSet);

    this.acknowledgeByDesignFindings(settings.instancePort, destroy);
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
    const settings: DbQuerySettingsDocument = {
      host: this.proxyEndpoint,
      port: PROXY_PORT,
      user: dbUser,
      database: this.databaseName,
      staleAfterMs: Math.max(1000, Math.min(this.idleClientTimeout.toMilliseconds() - 60_000, 300_000)),
    };
    return { [DB_QUERY_SETTINGS_VARIABLE]: Stack.of(this).toJsonString(settings) };
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

