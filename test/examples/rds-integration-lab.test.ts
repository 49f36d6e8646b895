import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { APPLICATION_USER, SCHEMA_VERSION } from '../../examples/rds-integration/lab-database';
import { RdsIntegrationLabStack, RdsIntegrationLabProps } from '../../examples/rds-integration/rds-integration-lab-stack';
import { SCHEMA_VERSION as MIGRATED_SCHEMA_VERSION } from '../../lambda-src/examples/rds-integration/migrate/migrations';
import { unacknowledgedNagFindings } from '../helpers/nag';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string };

function synth(props: RdsIntegrationLabProps = {}): Template {
  return Template.fromStack(new RdsIntegrationLabStack(new App(), 'RdsIntegrationLab', props));
}

// One synthesis per variant shared by the assertions; nag runs on its own instances.
const lab = new RdsIntegrationLabStack(new App(), 'RdsIntegrationLab');
const template = Template.fromStack(lab);
const labKeyArn = { 'Fn::GetAtt': [lab.getLogicalId(lab.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
const direct = synth({ directAccess: true });

function resourcesOf(t: Template, type: string): Record<string, Resource> {
  return t.findResources(type) as Record<string, Resource>;
}

function logicalIdOf(t: Template, type: string, pattern: RegExp): string {
  const ids = Object.keys(resourcesOf(t, type)).filter((id) => pattern.test(id));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The security groups allowed into `groupId` (as logical ids), by ingress rule. */
function ingressSources(t: Template, groupId: string): string[] {
  return Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress'))
    .filter((r) => r.Properties.GroupId?.['Fn::GetAtt']?.[0] === groupId)
    .map((r) => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0])
    .sort();
}

/** Where a security group may send traffic: destination security groups and CIDR rules. */
function egressOf(t: Template, groupId: string): string[] {
  const inline = (resourcesOf(t, 'AWS::EC2::SecurityGroup')[groupId].Properties.SecurityGroupEgress ?? []).map((e: any) => e.CidrIp);
  const rules = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupEgress'))
    .filter((r) => r.Properties.GroupId?.['Fn::GetAtt']?.[0] === groupId)
    .map((r) => `${r.Properties.DestinationSecurityGroupId['Fn::GetAtt'][0]}:${JSON.stringify(r.Properties.FromPort)}`);
  return [...inline, ...rules].sort();
}

const INSTANCE_SG = 'DatabaseInstanceSecurityGroup3D830840';
const PROXY_SG = 'DatabaseProxySecurityGroupCCC9DB86';

describe('RdsIntegrationLab', () => {
  test('runs one MySQL 8.4 Multi-AZ instance on db.t4g.medium, encrypted, with Performance Insights, deleted with the stack', () => {
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        Engine: 'mysql',
        EngineVersion: Match.stringLikeRegexp('^8\\.4\\.'),
        DBInstanceClass: 'db.t4g.medium',
        MultiAZ: true,
        StorageEncrypted: true,
        KmsKeyId: labKeyArn,
        EnablePerformanceInsights: true,
        DeletionProtection: false,
        DeleteAutomatedBackups: true,
        PubliclyAccessible: false,
        MaxAllocatedStorage: 30,
      }),
    });
  });

  test('the custom parameter group holds the settings the guide has learners observe', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::RDS::DBParameterGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0].Properties.Family).toBe('mysql8.4');
    expect(groups[0].Properties.Parameters).toEqual({
      require_secure_transport: '1',
      slow_query_log: '1',
      long_query_time: '0.5',
      log_output: 'FILE',
      max_connections: '100',
      performance_schema: '1',
      innodb_lock_wait_timeout: '5',
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBParameterGroupName: { Ref: Match.stringLikeRegexp('^DatabaseParameterGroup') } });
  });

  test('backups are kept 7 days with explicit backup and maintenance windows, and logs are exported', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      BackupRetentionPeriod: 7,
      PreferredBackupWindow: '03:00-03:30',
      PreferredMaintenanceWindow: 'sun:04:00-sun:04:30',
      EnableCloudwatchLogsExports: ['error', 'slowquery'],
    });
  });

  test('RDS Proxy requires TLS and IAM authentication for the master and the application user, and bounds its pool', () => {
    template.hasResourceProperties('AWS::RDS::DBProxy', {
      EngineFamily: 'MYSQL',
      RequireTLS: true,
      Auth: [
        { AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: { Ref: Match.stringLikeRegexp('^DatabaseInstanceSecretAttachment') } },
        { AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: { Ref: Match.stringLikeRegexp('^ApplicationUserSecret[0-9A-F]{8}$') } },
      ],
    });
    template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
      ConnectionPoolConfigurationInfo: { ConnectionBorrowTimeout: 30, MaxConnectionsPercent: 90, MaxIdleConnectionsPercent: 50 },
    });
  });

  test('each function may connect through the proxy as exactly one database user: the API and the storm as the application user', () => {
    // arn:<partition>:rds-db:<region>:<account>:dbuser:<prx-id from the proxy ARN>/<user>
    const connectGrants = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement
      .filter((s: any) => s.Action === 'rds-db:connect')
      .map((s: any) => {
        const parts: any[] = s.Resource['Fn::Join'][1];
        expect(parts.slice(-3, -1)).toEqual([':dbuser:', { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': ['DatabaseProxyE01FC4E6', 'DBProxyArn'] }] }] }]);
        return [p.Properties.Roles[0].Ref.replace(/[0-9A-F]{8}$/, ''), String(parts[parts.length - 1]).replace(/^\//, '')];
      }))
      .sort();
    expect(connectGrants).toEqual([
      ['ConnectionStormRole', APPLICATION_USER],
      ['ItemsApiRole', APPLICATION_USER],
      ['SchemaMigratorRole', 'dbadmin'],
    ]);
  });

  test('network paths: functions reach only the proxy, the proxy only the instance; only the proxy and the rotation functions reach the instance', () => {
    const proxySources = ingressSources(template, PROXY_SG);
    expect(proxySources).toEqual([
      expect.stringMatching(/^ConnectionStormSecurityGroup/), expect.stringMatching(/^ItemsApiSecurityGroup/), expect.stringMatching(/^SchemaMigratorSecurityGroup/),
    ]);
    expect(ingressSources(template, INSTANCE_SG)).toEqual([
      expect.stringMatching(/^ApplicationUserRotationSecurityGroup/), expect.stringMatching(/^DatabaseInstanceRotationSingleUserSecurityGroup/), PROXY_SG,
    ]);
    for (const fn of ['ItemsApi', 'ConnectionStorm']) {
      expect(egressOf(template, logicalIdOf(template, 'AWS::EC2::SecurityGroup', new RegExp(`^${fn}SecurityGroup`)))).toEqual([`${PROXY_SG}:3306`]);
    }
    // The migration also reads the application user's secret through the Secrets Manager endpoint.
    expect(egressOf(template, logicalIdOf(template, 'AWS::EC2::SecurityGroup', /^SchemaMigratorSecurityGroup/)))
      .toEqual([`${PROXY_SG}:3306`, expect.stringMatching(/^VpcSecretsManagerSecurityGroup.*:443$/)]);
    expect(egressOf(template, PROXY_SG)).toEqual([`${INSTANCE_SG}:{"Fn::GetAtt":["DatabaseInstanceAA8A5FDE","Endpoint.Port"]}`]);
  });

  test('directAccess adds exactly the storm function\'s path to the instance and its read of the application secret', () => {
    expect(ingressSources(direct, INSTANCE_SG)).toEqual([
      expect.stringMatching(/^ApplicationUserRotationSecurityGroup/), expect.stringMatching(/^ConnectionStormSecurityGroup/),
      expect.stringMatching(/^DatabaseInstanceRotationSingleUserSecurityGroup/), PROXY_SG,
    ]);
    const storm = Object.values(resourcesOf(direct, 'AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.STORM_CONFIG);
    expect(JSON.stringify(storm?.Properties.Environment.Variables.STORM_CONFIG)).toMatch(/Endpoint\.Address.*Endpoint\.Port.*ApplicationUserSecretAttachment/);
    const reads = Object.values(resourcesOf(direct, 'AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles[0].Ref.startsWith('ConnectionStormRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(reads).toHaveLength(1);
    expect(Object.values(resourcesOf(template, 'AWS::Lambda::Function')).some((f) => f.Properties.Environment?.Variables?.STORM_CONFIG)).toBe(false);
  });

  test('has no NAT gateway and no public subnet: one Secrets Manager interface endpoint serves the rotation and the migration', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.secretsmanager']] },
      PrivateDnsEnabled: true,
      VpcEndpointType: 'Interface',
    });
    for (const subnet of Object.values(resourcesOf(template, 'AWS::EC2::Subnet'))) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('the items API is a function URL that only SigV4-signed IAM callers can invoke', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ItemsApiFunction'), 'Arn'] } });
    const publicPermissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === '*');
    expect(publicPermissions).toEqual([]);
  });

  test('the schema migration is a custom resource at the current schema version, run after the whole database; the application rotation waits 30 days', () => {
    expect(SCHEMA_VERSION).toBe(MIGRATED_SCHEMA_VERSION);
    const migration = Object.entries(resourcesOf(template, 'Custom::SchemaMigration'));
    expect(migration).toHaveLength(1);
    const [, resource] = migration[0];
    expect(resource.Properties).toMatchObject({ SchemaVersion: SCHEMA_VERSION, ApplicationUser: APPLICATION_USER });
    expect(resource.DependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/^DatabaseInstance[0-9A-F]{8}$/), expect.stringMatching(/^DatabaseProxyProxyTargetGroup/), expect.stringMatching(/^DatabaseProxy[0-9A-F]{8}$/),
    ]));
    // An immediate rotation could run before the migration created the user.
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotateImmediatelyOnUpdate: false, RotationRules: { ScheduleExpression: 'rate(30 days)' } });
  });

  test('the migration function runs for up to 14 minutes (it waits for the proxy target) and the storm is never retried', () => {
    const fns = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const byConfig = (variable: string) => fns.find((f) => f.Properties.Environment?.Variables?.[variable] !== undefined)!;
    expect(byConfig('SCHEMA_MIGRATION_CONFIG').Properties.Timeout).toBe(14 * 60);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300, Qualifier: '$LATEST' });
    for (const fn of fns.filter((f) => f.Properties.Environment?.Variables?.DB_QUERY_CONFIG)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
    expect(fns.filter((f) => f.Properties.Environment?.Variables?.DB_QUERY_CONFIG)).toHaveLength(3);
  });

  test('the dashboard shows the database, the proxy pool, Performance Insights, the API, the storm and every alarm', () => {
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const title of [
      'CPU (%)', 'Free storage (bytes)', 'Database connections', 'Proxy: client vs database connections', 'Proxy: pinned sessions',
      'borrow latency', 'Performance Insights', 'Slow queries', 'Items API: invocations, errors and p99 duration',
      'Connection storm: clients and failures, through the proxy vs direct', 'Connection storm: concurrent executions', 'Alarms',
    ]) {
      expect(body).toContain(title);
    }
    for (const metric of ['ClientConnections', 'DatabaseConnectionsBorrowLatency', 'DatabasePinnedSessionsAlarm', 'StormClientFailures', 'ConcurrentExecutions']) {
      expect(body).toContain(metric);
    }
  });

  test('every alarm notifies the encrypted lab alarm topic, on ALARM and OK', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'RDS integration lab alarms', KmsMasterKeyId: Match.anyValue() });
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('AlarmTopic');
      expect(JSON.stringify(alarm.Properties.OKActions)).toContain('AlarmTopic');
    }
  });

  test('CloudWatch may use the alarm topic and its key only on behalf of alarms of this account', () => {
    const onlyThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] },
      },
    };
    const keyStatements = Object.values(resourcesOf(template, 'AWS::KMS::Key')).flatMap((k) => k.Properties.KeyPolicy.Statement as any[]);
    const topicStatements = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    for (const statements of [keyStatements, topicStatements]) {
      const cloudWatch = statements.filter((s) => JSON.stringify(s.Principal ?? {}).includes('cloudwatch.amazonaws.com'));
      expect(cloudWatch).toEqual([expect.objectContaining({ Effect: 'Allow', Condition: onlyThisAccountsAlarms })]);
    }
  });

  test('one lab key encrypts the alarm topic, the database, its secrets and every log group, and allows grants only for AWS resources', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'RDS integration lab alarms', KmsMasterKeyId: labKeyArn });
    const logGroups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(6);
    for (const group of logGroups) expect(group.Properties.KmsKeyId).toEqual(labKeyArn);
    for (const secret of Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret'))) expect(secret.Properties.KmsKeyId).toEqual(labKeyArn);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'kms:CreateGrant', Principal: { AWS: '*' } })]) },
    });
  });

  test('nothing is retained or snapshotted, and every log group expires', () => {
    const kept = Object.entries(template.toJSON().Resources as Record<string, Resource>)
      .filter(([, r]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(r.DeletionPolicy ?? '') || ['Retain', 'Snapshot'].includes(r.UpdateReplacePolicy ?? ''));
    expect(kept.map(([id]) => id)).toEqual([]);
    for (const logGroup of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  test.each([
    ['default', {}],
    ['with directAccess', { directAccess: true }],
  ])('is cdk-nag clean (AwsSolutions + Serverless), %s', (_name, props) => {
    expect(unacknowledgedNagFindings(new RdsIntegrationLabStack(new App(), 'RdsIntegrationLabNag', props))).toEqual([]);
  });
});
