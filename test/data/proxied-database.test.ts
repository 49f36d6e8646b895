import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { bundledCode } from '../../examples/bundled-code';
import { HandlerFunction } from '../../src';
import { ProxiedDatabase, ProxiedDatabaseProps } from '../../src/data';
import { keyArnOf, logGroupKeys } from '../helpers/encryption';
import { synchronousOnlySuppressions, unacknowledgedNagFindings } from '../helpers/nag';

interface Fixture {
  stack: Stack;
  vpc: ec2.Vpc;
  db: ProxiedDatabase;
  template: () => Template;
}

function isolatedVpc(stack: Stack): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  vpc.addFlowLog('FlowLog');
  return vpc;
}

function build(props: Partial<ProxiedDatabaseProps> = {}, vpcFactory: (stack: Stack) => ec2.Vpc = isolatedVpc): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const vpc = vpcFactory(stack);
  const db = new ProxiedDatabase(stack, 'Orders', { vpc, databaseName: 'orders', ...props });
  return { stack, vpc, db, template: () => Template.fromStack(stack) };
}

function expectError(props: Partial<ProxiedDatabaseProps>, ...messages: Array<string | RegExp>): void {
  let error: Error | undefined;
  try {
    build(props);
  } catch (err) {
    error = err as Error;
  }
  expect(error?.message).toMatch(/^ProxiedDatabase at 'Test\/Orders' has invalid props/);
  for (const m of messages) expect(error?.message).toMatch(m);
}

function vpcFunction(stack: Stack, vpc: ec2.IVpc, id = 'Query'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  });
}

describe('ProxiedDatabase defaults', () => {
  const { template, db } = build();
  const t = template();

  test('the construct key encrypts the exported error and slow-query log groups', () => {
    const keys = logGroupKeys(t);
    const stack = Stack.of(db);
    const exported = [db.errorLogGroup, db.slowQueryLogGroup].map((g) => stack.getLogicalId(g.node.defaultChild as logs.CfnLogGroup));
    for (const id of exported) expect(keys[id]).toEqual(keyArnOf(stack, db.encryptionKey));
  });

  test('creates one MySQL 8.4 Multi-AZ instance on db.t4g.medium, encrypted with the construct key, in the isolated subnets', () => {
    t.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: '8.4.8',
      DBInstanceClass: 'db.t4g.medium',
      MultiAZ: true,
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
      StorageType: 'gp3',
      AllocatedStorage: '20',
      MaxAllocatedStorage: 100,
      PubliclyAccessible: false,
      DBName: 'orders',
      Port: '3306',
      CACertificateIdentifier: 'rds-ca-rsa2048-g1',
      EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      AutoMinorVersionUpgrade: true,
      CopyTagsToSnapshot: true,
    });
    t.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcdbSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcdbSubnet2') }],
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('retains data: snapshot on delete, deletion protection, 7-day backups with explicit windows', () => {
    t.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({
        DeletionProtection: true,
        DeleteAutomatedBackups: false,
        BackupRetentionPeriod: 7,
        PreferredBackupWindow: '03:00-04:00',
        PreferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      }),
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('exports error and slow query logs to log groups with one-month retention created before the instance', () => {
    t.hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['error', 'slowquery'] });
    const instance = Object.values(t.findResources('AWS::RDS::DBInstance'))[0] as { DependsOn: string[]; Properties: { DBInstanceIdentifier: string } };
    const id = instance.Properties.DBInstanceIdentifier;
    expect(id).toMatch(/^test-orders-[a-z0-9-]+$/);
    for (const log of ['error', 'slowquery']) {
      t.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Retain',
        Properties: { LogGroupName: `/aws/rds/instance/${id}/${log}`, RetentionInDays: 30 },
      });
    }
    expect(instance.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^OrdersErrorLog/), expect.stringMatching(/^OrdersSlowQueryLog/)]));
  });

  test('turns on Enhanced Monitoring every 60 s and Performance Insights encrypted with the construct key', () => {
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      MonitoringInterval: 60,
      MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersInstanceMonitoringRole'), 'Arn'] },
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
      PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
    });
    expect(db.performanceInsightsEnabled).toBe(true);
  });

  test('uses a mysql8.4 parameter group that refuses plaintext connections and logs queries slower than 1 second', () => {
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'mysql8.4',
      Parameters: { require_secure_transport: '1', slow_query_log: '1', long_query_time: '1', log_output: 'FILE' },
    });
  });

  test('generates a KMS-encrypted master secret rotated every 30 days by the single-user rotation application', () => {
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"dbadmin"}', GenerateStringKey: 'password' }),
    });
    t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(30 days)' } });
    t.resourceCountIs('AWS::Serverless::Application', 1);
    expect(JSON.stringify(t.toJSON().Mappings)).toContain('SecretsManagerRDSMySQLRotationSingleUser');
  });

  test('fronts the instance with an RDS Proxy that requires TLS and IAM authentication', () => {
    t.resourceCountIs('AWS::RDS::DBProxy', 1);
    t.hasResourceProperties('AWS::RDS::DBProxy', {
      EngineFamily: 'MYSQL',
      RequireTLS: true,
      DebugLogging: false,
      IdleClientTimeout: 1800,
      DBProxyName: Match.stringLikeRegexp('^test-orders-'),
      Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: { Ref: Match.stringLikeRegexp('^OrdersInstanceSecretAttachment') } }],
      VpcSubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcdbSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcdbSubnet2') }],
    });
    t.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
      ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 90, MaxIdleConnectionsPercent: 50, ConnectionBorrowTimeout: 30 },
    });
  });

  test('admits only the proxy and the rotation function to the instance; the proxy may only reach the instance', () => {
    const instanceSg = db.instanceSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup;
    const proxySg = db.securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('database instance'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => (r as { Properties: Record<string, unknown> }).Properties)
      .filter((p) => JSON.stringify(p.GroupId).includes(Stack.of(instanceSg).resolve(instanceSg.logicalId)));
    const sources = ingress.map((p) => JSON.stringify(p.SourceSecurityGroupId));
    expect(sources).toEqual(expect.arrayContaining([expect.stringContaining('OrdersProxySecurityGroup'), expect.stringContaining('RotationSingleUserSecurityGroup')]));
    expect(sources.every((s) => /OrdersProxySecurityGroup|RotationSingleUserSecurityGroup/.test(s))).toBe(true);
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Stack.of(proxySg).resolve(proxySg.logicalId), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Stack.of(instanceSg).resolve(instanceSg.logicalId), 'GroupId'] },
      IpProtocol: 'tcp',
    });
    t.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Stack.of(proxySg).resolve(proxySg.logicalId), 'GroupId'] },
    }, 0);
  });

  test('alarms on CPU, free storage, proxy pool saturation and pinned sessions', () => {
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(db.alarms).toHaveLength(4);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization', Namespace: 'AWS/RDS', Threshold: 80, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FreeStorageSpace', Threshold: 2 * 1024 ** 3, ComparisonOperator: 'LessThanOrEqualToThreshold', Statistic: 'Minimum',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DatabaseConnectionsCurrentlySessionPinned',
      Namespace: 'AWS/RDS',
      Dimensions: [{ Name: 'ProxyName', Value: { Ref: Match.stringLikeRegexp('^OrdersProxy') } }],
      Threshold: 1,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 90,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * connections / FILL(allowed, REPEAT)' }),
        Match.objectLike({ Id: 'connections', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'DatabaseConnections' }) }) }),
        Match.objectLike({ Id: 'allowed', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'MaxDatabaseConnectionsAllowed' }) }) }),
      ]),
    });
  });

  test('creates no dashboard unless asked', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(db.dashboard).toBeUndefined();
  });

  test('exposes the proxy endpoint, the secret and the connection environment of the db-query runtime', () => {
    const stack = Stack.of(db);
    expect(stack.resolve(db.proxyEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersProxy/), 'Endpoint'] });
    expect(db.secret).toBe(db.instance.secret);
    const env = stack.resolve(db.connectionEnvironment('app_user'));
    const rendered = JSON.stringify(env);
    expect(rendered).toContain('\\"user\\":\\"app_user\\"');
    expect(rendered).toContain('\\"database\\":\\"orders\\"');
    expect(rendered).toContain('\\"port\\":3306');
    expect(rendered).toContain('\\"staleAfterMs\\":300000');
    expect(rendered).toMatch(/OrdersProxy[A-Z0-9]+","Endpoint"/);
  });
});

describe('ProxiedDatabase grantConnect', () => {
  test('grants rds-db:connect on the proxy for the user and opens the proxy to the function on 3306', () => {
    const { stack, vpc, db, template } = build();
    const fn = vpcFunction(stack, vpc);
    db.grantConnect(fn, 'app_user');
    const t = template();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'rds-db:connect',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', Match.arrayWith([':rds-db:', Match.stringLikeRegexp(':dbuser:'), Match.stringLikeRegexp('/app_user$')])],
          },
        })]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^QueryServiceRole') }],
    });
    const proxySg = db.securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [stack.resolve(proxySg.logicalId), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QuerySecurityGroup'), 'GroupId'] },
      FromPort: 3306,
      ToPort: 3306,
      IpProtocol: 'tcp',
    });
  });

  test('the proxy ARN in the grant is the proxy resource id (prx-...) taken from the proxy ARN', () => {
    const { stack, vpc, db, template } = build();
    db.grantConnect(vpcFunction(stack, vpc), 'app_user');
    const policy = JSON.stringify(template().findResources('AWS::IAM::Policy'));
    expect(policy).toMatch(/OrdersProxy[A-Z0-9]+","DBProxyArn"/);
  });

  test('a role without security groups gets the IAM grant only', () => {
    const { stack, db, template } = build();
    const role = new iam.Role(stack, 'Reporting', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    db.grantConnect(role, 'reporting');
    const t = template();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'rds-db:connect' })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^Reporting') }],
    });
    const proxySg = db.securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
    t.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': [stack.resolve(proxySg.logicalId), 'GroupId'] } }, 0);
  });

  test('a function outside any VPC is refused with a message saying why', () => {
    const { stack, db } = build();
    const fn = new lambda.Function(stack, 'Outside', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    });
    expect(() => db.grantConnect(fn, 'app_user')).toThrow(/grantConnect cannot give 'Test\/Outside' a network path to the proxy because the function is not in a VPC/);
  });

  test('an invalid database user name is refused', () => {
    const { stack, vpc, db } = build();
    expect(() => db.grantConnect(vpcFunction(stack, vpc), 'app-user; DROP')).toThrow(/grantConnect dbUser must be a MySQL user name/);
  });

  test('any IConnectable peer can be admitted through the construct connections', () => {
    const { stack, vpc, db, template } = build();
    const sg = new ec2.SecurityGroup(stack, 'Workers', { vpc });
    db.connections.allowDefaultPortFrom(sg);
    template().hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Workers'), 'GroupId'] },
      FromPort: 3306,
    });
  });
});

describe('ProxiedDatabase options', () => {
  test('removalPolicy DESTROY turns deletion protection off and deletes backups, logs and key with the stack', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.DESTROY });
    const t = template();
    t.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: false, DeleteAutomatedBackups: true }),
      Metadata: { cdk_nag: { rules_to_suppress: Match.arrayWith([Match.objectLike({ id: 'AwsSolutions-RDS10' })]) } },
    });
    const rdsLogs = Object.values(t.findResources('AWS::Logs::LogGroup'))
      .filter((r) => JSON.stringify(r).includes('/aws/rds/instance/')) as Array<{ DeletionPolicy: string }>;
    expect(rdsLogs.map((r) => r.DeletionPolicy)).toEqual(['Delete', 'Delete']);
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('removalPolicy RETAIN keeps deletion protection', () => {
    build({ removalPolicy: RemovalPolicy.RETAIN }).template().hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: true }),
    });
  });

  test('instance class, engine version, Multi-AZ, storage and windows follow the props', () => {
    const { template } = build({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE),
      engineVersion: rds.MysqlEngineVersion.VER_8_4_5,
      multiAz: false,
      storage: { allocatedGiB: 50, maxAllocatedGiB: 200 },
      backup: { retention: Duration.days(14), preferredWindow: '01:00-02:00' },
      preferredMaintenanceWindow: 'sat:22:00-sat:23:00',
      monitoring: { slowQueryThreshold: Duration.millis(250), enhancedMonitoringInterval: Duration.seconds(15) },
      instanceIdentifier: 'orders-primary',
      logRetention: logs.RetentionDays.THREE_MONTHS,
    });
    const t = template();
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.r7g.large',
      EngineVersion: '8.4.5',
      MultiAZ: false,
      AllocatedStorage: '50',
      MaxAllocatedStorage: 200,
      BackupRetentionPeriod: 14,
      PreferredBackupWindow: '01:00-02:00',
      PreferredMaintenanceWindow: 'sat:22:00-sat:23:00',
      MonitoringInterval: 15,
      DBInstanceIdentifier: 'orders-primary',
    });
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ long_query_time: '0.25' }) });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/rds/instance/orders-primary/slowquery', RetentionInDays: 90 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Threshold: 5 * 1024 ** 3 });
  });

  test('Performance Insights stays off on micro and small burstable classes', () => {
    const { db, template } = build({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL) });
    expect(db.performanceInsightsEnabled).toBe(false);
    const props = (Object.values(template().findResources('AWS::RDS::DBInstance'))[0] as { Properties: Record<string, unknown> }).Properties;
    expect(props.EnablePerformanceInsights).toBe(false);
    expect(props.PerformanceInsightsKMSKeyId).toBeUndefined();
  });

  test('an existing key encrypts storage, secret and Performance Insights and no key is created', () => {
    const app = new App();
    const s2 = new Stack(app, 'Keyed');
    const key = new kms.Key(s2, 'SharedKey');
    new ProxiedDatabase(s2, 'Orders', { vpc: isolatedVpc(s2), databaseName: 'orders', encryptionKey: key });
    const t = Template.fromStack(s2);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::RDS::DBInstance', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::RDS::DBInstance', { PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedKey'), 'Arn'] } });
  });

  test('proxy pool settings, init query and user secrets reach the proxy', () => {
    const app = new App();
    const stack = new Stack(app, 'Pool');
    const userSecret = new secretsmanager.Secret(stack, 'AppUser');
    new ProxiedDatabase(stack, 'Orders', {
      vpc: isolatedVpc(stack),
      databaseName: 'orders',
      proxy: {
        maxConnectionsPercent: 60,
        maxIdleConnectionsPercent: 10,
        borrowTimeout: Duration.seconds(5),
        idleClientTimeout: Duration.minutes(10),
        initQuery: 'SET time_zone = \'+00:00\'',
        userSecrets: [userSecret],
      },
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
      ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 60, MaxIdleConnectionsPercent: 10, ConnectionBorrowTimeout: 5, InitQuery: 'SET time_zone = \'+00:00\'' },
    });
    t.hasResourceProperties('AWS::RDS::DBProxy', {
      IdleClientTimeout: 600,
      Auth: [Match.objectLike({ SecretArn: { Ref: Match.stringLikeRegexp('^OrdersInstanceSecretAttachment') } }), Match.objectLike({ SecretArn: { Ref: Match.stringLikeRegexp('^AppUser') } })],
    });
  });

  test('a short proxy idle timeout shortens the runtime staleness window below it', () => {
    const { db } = build({ proxy: { idleClientTimeout: Duration.minutes(3) } });
    expect(JSON.stringify(Stack.of(db).resolve(db.connectionEnvironment('u')))).toContain('\\"staleAfterMs\\":120000');
  });

  test('without isolated subnets the private subnets with egress are used', () => {
    const { template } = build({}, (stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }));
    template().hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2') }],
    });
  });

  test('a non-default instance port needs no RDS11 acknowledgement', () => {
    const { template } = build({ instancePort: 3307 });
    const instance = Object.values(template().findResources('AWS::RDS::DBInstance'))[0] as { Properties: { Port: string }; Metadata?: unknown };
    expect(instance.Properties.Port).toBe('3307');
    expect(JSON.stringify(instance.Metadata ?? {})).not.toContain('AwsSolutions-RDS11');
  });

  test('alarms notify the alarm topic and actions added later, on ALARM and OK', () => {
    const app = new App();
    const stack = new Stack(app, 'Alarmed');
    const topic = new sns.Topic(stack, 'Pager');
    const db = new ProxiedDatabase(stack, 'Orders', {
      vpc: isolatedVpc(stack),
      databaseName: 'orders',
      alarmTopic: topic,
      alarmThresholds: { cpuPercent: 70, proxyConnectionsPercent: 75, pinnedSessions: 5, freeStorageGiB: 3 },
    });
    const later = new sns.Topic(stack, 'Later');
    db.addAlarmAction(new cloudwatchActions.SnsAction(later));
    const t = Template.fromStack(stack);
    t.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Pager') }, { Ref: Match.stringLikeRegexp('^Later') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^Pager') }, { Ref: Match.stringLikeRegexp('^Later') }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 70 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnectionsCurrentlySessionPinned', Threshold: 5 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Threshold: 3 * 1024 ** 3 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 75, Metrics: Match.anyValue() });
    expect([db.cpuAlarm, db.freeStorageAlarm, db.connectionsAlarm, db.pinnedSessionsAlarm]).toEqual(expect.arrayContaining(db.alarms));
  });

  test('dashboard: true adds a dashboard with the alarms and proxy metrics', () => {
    const { db, template } = build({ monitoring: { dashboard: true } });
    expect(db.dashboard).toBeDefined();
    const body = JSON.stringify(template().findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of ['ClientConnections', 'MaxDatabaseConnectionsAllowed', 'DatabaseConnectionsBorrowLatency', 'QueryDatabaseResponseLatency', 'ReadLatency']) {
      expect(body).toContain(metric);
    }
  });
});

describe('ProxiedDatabase rejects bad input', () => {
  test('no VPC', () => {
    expectError({ vpc: undefined }, /vpc is required/);
  });

  test('public subnets', () => {
    expectError({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /vpcSubnets must select private or isolated subnets: a database must not sit in public subnets, got 'Public'/);
  });

  test('subnets in a single Availability Zone', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(() => new ProxiedDatabase(stack, 'Orders', { vpc, databaseName: 'orders', vpcSubnets: { subnets: [vpc.isolatedSubnets[0]] } }))
      .toThrow(/vpcSubnets must span at least 2 Availability Zones/);
  });

  test.each([
    [Duration.hours(12), '12 hours'],
    [Duration.days(366), '366 days'],
  ])('rotation of %s', (rotation, shown) => {
    expectError({ credentials: { rotation } }, new RegExp(`credentials.rotation must be between 1 day and 365 days, got ${shown}`));
  });

  test.each([
    [ec2.InstanceType.of(ec2.InstanceClass.T2, ec2.InstanceSize.MICRO), 'db.t2.micro'],
    [ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.LARGE), 'db.c5.large'],
    [ec2.InstanceType.of(ec2.InstanceClass.M4, ec2.InstanceSize.LARGE), 'db.m4.large'],
  ])('instance class %s that RDS for MySQL 8.4 does not offer', (instanceType, shown) => {
    expectError({ instanceType }, new RegExp(`instanceType must be a class RDS for MySQL 8.4 offers .*, got '${shown.replace(/\./g, '\\.')}'`));
  });

  test.each([
    [Duration.days(0), '0 days'],
    [Duration.days(36), '36 days'],
  ])('backup retention of %s', (backupRetention, shown) => {
    expectError({ backup: { retention: backupRetention } }, new RegExp(`backup.retention must be between 1 day and 35 days, got ${shown}`));
  });

  test('a MySQL 8.0 engine version', () => {
    expectError({ engineVersion: rds.MysqlEngineVersion.VER_8_0_40 }, /engineVersion must be a MySQL 8\.4 version .*, got '8\.0\.40'/);
  });

  test('every problem at once, each naming prop, value and allowed range', () => {
    expectError({
      databaseName: '1orders',
      credentials: { rotation: Duration.days(0), masterUsername: 'admin' },
      backup: { retention: Duration.days(40), preferredWindow: '3am' },
      preferredMaintenanceWindow: 'sunday',
      proxy: { maxConnectionsPercent: 50, maxIdleConnectionsPercent: 60, borrowTimeout: Duration.hours(2) },
      monitoring: { enhancedMonitoringInterval: Duration.seconds(7) },
      instancePort: 80,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      storage: { allocatedGiB: 10 },
    },
    /\(12 problems\)/,
    /databaseName must be a MySQL database name.*got '1orders'/,
    /credentials.rotation must be between 1 day and 365 days, got 0 days/,
    /backup.retention must be between 1 day and 35 days, got 40 days/,
    /backup.preferredWindow must be a UTC window hh24:mi-hh24:mi, got '3am'/,
    /preferredMaintenanceWindow must be a UTC window ddd:hh24:mi-ddd:hh24:mi, got 'sunday'/,
    /proxy.maxIdleConnectionsPercent must be an integer between 0 and 50, got 60/,
    /monitoring.enhancedMonitoringInterval must be one of 1, 5, 10, 15, 30, 60 seconds, got 7 seconds/,
    /credentials.masterUsername must not be a name reserved by MySQL or RDS, got 'admin'/,
    /instancePort must be an integer between 1150 and 65535, got 80/,
    /removalPolicy must be one of 'snapshot', 'retain', 'destroy', got 'retain-on-update-or-delete'/,
    /proxy.borrowTimeout must be between 1 second and 1 hour, got 2 hours/,
    /storage.allocatedGiB must be an integer between 20 and 65536, got 10/);
  });
});

describe('ProxiedDatabase with cdk-nag', () => {
  test('a realistic stack with the db-query handler is clean under AwsSolutions and Serverless', () => {
    const app = new App();
    const stack = new Stack(app, 'Realistic');
    const vpc = isolatedVpc(stack);
    const db = new ProxiedDatabase(stack, 'Orders', { vpc, databaseName: 'orders', monitoring: { dashboard: true }, alarmTopic: new sns.Topic(stack, 'Alarms', { enforceSSL: true }) });
    const query = new HandlerFunction(stack, 'Query', {
      code: bundledCode('db-query'),
      description: 'Notes example on the db-query runtime',
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      environment: db.connectionEnvironment(db.masterUsername),
    });
    NagSuppressions.addResourceSuppressions(query.function, synchronousOnlySuppressions('Invoked synchronously only: errors return to the caller.'));
    db.grantConnect(query.function, db.masterUsername);
    expect(unacknowledgedNagFindings(stack, { includeWarnings: true })).toEqual([]);
  });

  test('a lab-style stack with removalPolicy DESTROY is clean: deletion protection off is acknowledged as the caller\'s choice', () => {
    const app = new App();
    const stack = new Stack(app, 'Lab');
    new ProxiedDatabase(stack, 'Orders', { vpc: isolatedVpc(stack), databaseName: 'orders', removalPolicy: RemovalPolicy.DESTROY });
    expect(unacknowledgedNagFindings(stack, { includeWarnings: true })).toEqual([]);
  });

  test('single-AZ is the caller\'s choice and stays visible as an AwsSolutions-RDS3 finding', () => {
    const app = new App();
    const stack = new Stack(app, 'SingleAz');
    new ProxiedDatabase(stack, 'Orders', { vpc: isolatedVpc(stack), databaseName: 'orders', multiAz: false });
    expect(unacknowledgedNagFindings(stack).map((f) => f.message.split(':')[0])).toEqual(['AwsSolutions-RDS3']);
  });
});
