import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createEncryptionKey, createLogGroup, DEFAULT_ARCHITECTURE, DEFAULT_LOG_RETENTION, DEFAULT_RUNTIME, defaultFunctionProps } from '../../src/core/defaults';

describe('shared defaults', () => {
  test('the default runtime is Node.js 22 on ARM64', () => {
    expect(DEFAULT_RUNTIME.name).toBe('nodejs22.x');
    expect(DEFAULT_ARCHITECTURE.name).toBe('arm64');
  });

  test('log groups have a finite retention and are retained by default', () => {
    const stack = new Stack(new App(), 'Stack');
    createLogGroup(stack, 'Logs');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(DEFAULT_LOG_RETENTION).toBe(logs.RetentionDays.ONE_MONTH);
  });

  test('log group retention and removal policy can be overridden', () => {
    const stack = new Stack(new App(), 'Stack');
    createLogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('function defaults: explicit runtime, arm64, active tracing, JSON logs into the given group, source maps', () => {
    const stack = new Stack(new App(), 'Stack');
    const logGroup = createLogGroup(stack, 'Logs');
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
    const stack = new Stack(new App(), 'Stack');
    createLogGroup(stack, 'Logs', { removalPolicy: RemovalPolicy.SNAPSHOT });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
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
});

