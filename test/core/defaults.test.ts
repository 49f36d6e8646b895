import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createEncryptionKey, createLogGroup, DEFAULT_ARCHITECTURE, DEFAULT_LOG_RETENTION, DEFAULT_RUNTIME, defaultFunctionProps } from '../../src/core/defaults';

function newStackWithKey(): { stack: Stack; key: kms.Key } {
  const stack = new Stack(new App(), 'Stack');
  return { stack, key: createEncryptionKey(stack, 'Key', { description: 'log key' }) };
}

describe('shared defaults', () => {
  test('the default runtime is Node.js 22 on ARM64', () => {
    expect(DEFAULT_RUNTIME.name).toBe('nodejs22.x');
    expect(DEFAULT_ARCHITECTURE.name).toBe('arm64');
  });

  test('log groups have a finite retention and are retained by default', () => {
    const { stack, key } = newStackWithKey();
    createLogGroup(stack, 'Logs', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(DEFAULT_LOG_RETENTION).toBe(logs.RetentionDays.ONE_MONTH);
  });

  test('log group retention and removal policy can be overridden', () => {
    const { stack, key } = newStackWithKey();
    createLogGroup(stack, 'Logs', { encryptionKey: key, retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('function defaults: explicit runtime, arm64, active tracing, JSON logs into the given group, source maps', () => {
    const { stack, key } = newStackWithKey();
    const logGroup = createLogGroup(stack, 'Logs', { encryptionKey: key });
    new lambda.Function(stack, 'Fn', {
      ...defaultFunctionProps(logGroup),
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      handler: 'index.handler',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup) } },
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  test('a SNAPSHOT removal policy retains log groups, which CloudFormation cannot snapshot', () => {
    const { stack, key } = newStackWithKey();
    createLogGroup(stack, 'Logs', { encryptionKey: key, removalPolicy: RemovalPolicy.SNAPSHOT });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('log group encryption', () => {
  const logsStatement = {
    Sid: 'AllowCloudWatchLogsOfThisAccount',
    Effect: 'Allow',
    Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
        },
      },
    },
  };

  test('a log group is encrypted with the given key, which lets the regional CloudWatch Logs service use it for this account\'s log groups only', () => {
    const { stack, key } = newStackWithKey();
    createLogGroup(stack, 'Logs', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    expect(statements).toContainEqual(logsStatement);
  });

  test('one key serving several log groups carries the CloudWatch Logs statement once', () => {
    const { stack, key } = newStackWithKey();
    createLogGroup(stack, 'ErrorLog', { encryptionKey: key });
    createLogGroup(stack, 'SlowQueryLog', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    expect(statements.filter((s) => s.Sid === logsStatement.Sid)).toHaveLength(1);
  });
});

describe('createEncryptionKey', () => {
  test('rotates yearly and is retained by default, also for SNAPSHOT', () => {
    for (const removalPolicy of [undefined, RemovalPolicy.RETAIN, RemovalPolicy.SNAPSHOT]) {
      const stack = new Stack(new App(), 'Stack');
      createEncryptionKey(stack, 'Key', { description: 'test key', removalPolicy });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::KMS::Key', { Description: 'test key', EnableKeyRotation: true, PendingWindowInDays: Match.absent() });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('with DESTROY it is deleted after the shortest pending window', () => {
    const stack = new Stack(new App(), 'Stack');
    createEncryptionKey(stack, 'Key', { description: 'lab key', removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('denies creating grants to every principal unless the grant is for an AWS resource or the caller is an AWS service', () => {
    const stack = new Stack(new App(), 'Stack');
    createEncryptionKey(stack, 'Key', { description: 'test key' });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    // Exactly the shape AWS Control Tower's CT.KMS.PR.3 accepts.
    expect(statements).toContainEqual({
      Sid: 'DenyGrantsNotForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });
});
