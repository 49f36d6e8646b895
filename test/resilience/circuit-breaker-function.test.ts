import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CircuitBreakerFunction, CircuitBreakerFunctionProps, CircuitTarget, Fallback } from '../../src/resilience';
import { keyArnOf, logGroupKeys } from '../helpers/encryption';
import { unacknowledgedNagFindings } from '../helpers/nag';

const URL = 'http://inventory.internal:8080';

function build(props: Partial<CircuitBreakerFunctionProps> = {}, setup?: (stack: Stack) => Partial<CircuitBreakerFunctionProps>) {
  const stack = new Stack(new App(), 'Stack');
  const extra = setup?.(stack) ?? {};
  const breaker = new CircuitBreakerFunction(stack, 'InventoryBreaker', {
    target: CircuitTarget.http(URL),
    fallback: Fallback.staticResponse({ statusCode: 503, body: '{"items":[]}' }),
    ...props,
    ...extra,
  });
  return { stack, breaker, template: Template.fromStack(stack) };
}

function settingsOf(template: Template): Record<string, any> {
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
  const raw = fn.Properties.Environment.Variables.CIRCUIT_BREAKER_SETTINGS;
  // Tokens (table name, function ARN) make the value an Fn::Join: flatten it with placeholders.
  const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

function existingFunction(stack: Stack, id: string): lambda.IFunction {
  return lambda.Function.fromFunctionArn(stack, id, `arn:aws:lambda:eu-west-1:123456789012:function:${id}`);
}

describe('CircuitBreakerFunction', () => {
  test('creates a PAY_PER_REQUEST, encrypted, PITR-enabled state table with a TTL attribute, retained by default', () => {
    const { template } = build();
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('removalPolicy DESTROY applies to the table and the log group', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('a customer managed key encrypts the table and the function may use it', () => {
    const { template, stack } = build({}, (s) => ({ encryptionKey: new kms.Key(s, 'Key', { enableKeyRotation: true }) }));
    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] })]) },
    });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('the handler\'s log group is encrypted with the construct key: a new one by default, the caller\'s encryptionKey when given', () => {
    const byDefault = build();
    byDefault.template.resourceCountIs('AWS::KMS::Key', 1);
    expect(Object.values(logGroupKeys(byDefault.template))).toEqual([keyArnOf(byDefault.stack, byDefault.breaker.encryptionKey)]);

    const given = build({}, (s) => ({ encryptionKey: new kms.Key(s, 'Key', { enableKeyRotation: true }) }));
    given.template.resourceCountIs('AWS::KMS::Key', 1);
    expect(Object.values(logGroupKeys(given.template))).toEqual([keyArnOf(given.stack, given.breaker.encryptionKey)]);
    expect(given.breaker.encryptionKey.node.path).toBe('Stack/Key');
  });

  test('with an existing state table, encryptionKey encrypts the log group and the table is left as it is', () => {
    const { stack, template, breaker } = build({}, (s) => ({
      encryptionKey: new kms.Key(s, 'Key', { enableKeyRotation: true }), stateTable: dynamodb.Table.fromTableName(s, 'T', 'circuits'),
    }));
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(Object.values(logGroupKeys(template))).toEqual([keyArnOf(stack, breaker.encryptionKey)]);
  });

  test('the function has explicit runtime, memory, timeout, tracing and a settings JSON with the defaults it was given', () => {
    const { template, breaker } = build({
      tripRules: { failureRateThreshold: 40, minimumCalls: 20 },
      recovery: { openDuration: Duration.seconds(45), halfOpenPermits: 2 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 10, TracingConfig: { Mode: 'Active' },
    });
    expect(settingsOf(template)).toEqual({
      name: breaker.circuitName,
      failureRateThreshold: 40,
      minimumCalls: 20,
      callTimeoutMs: 5000,
      openDurationMs: 45000,
      halfOpenPermits: 2,
      stateRefreshMs: 1000,
      tableName: 'TOKEN',
      target: { type: 'http', url: URL },
      fallback: { type: 'static', statusCode: 503, body: '{"items":[]}', headers: {} },
    });
  });

  test('every tuning prop reaches the settings in milliseconds', () => {
    const { template } = build({
      circuitName: 'inventory',
      tripRules: {
        slidingWindow: Duration.seconds(20),
        consecutiveFailureThreshold: 0,
        fleetFailureThreshold: 50,
        fleetWindow: Duration.seconds(30),
        slowCallDuration: Duration.seconds(2),
        slowCallRateThreshold: 80,
      },
      callTimeout: Duration.seconds(3),
      recovery: { maxOpenDuration: Duration.minutes(10), halfOpenSuccessThreshold: 2, probeLease: Duration.seconds(20) },
      stateCache: { refreshInterval: Duration.millis(500), maxStaleness: Duration.seconds(3) },
      fallbackOnFailure: false,
      memorySize: 512,
      timeout: Duration.seconds(20),
    });
    expect(settingsOf(template)).toMatchObject({
      name: 'inventory',
      windowMs: 20000,
      consecutiveFailureThreshold: 0,
      fleetFailureThreshold: 50,
      fleetWindowMs: 30000,
      slowCallDurationMs: 2000,
      slowCallRateThreshold: 80,
      callTimeoutMs: 3000,
      maxOpenDurationMs: 600000,
      halfOpenSuccessThreshold: 2,
      probeLeaseMs: 20000,
      stateRefreshMs: 500,
      maxStaleMs: 3000,
      fallbackOnFailure: false,
    });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512, Timeout: 20 });
  });

  test('the circuit name defaults to the construct path', () => {
    const { breaker } = build();
    expect(breaker.circuitName).toBe('Stack/InventoryBreaker');
  });

  test('the role may GetItem and UpdateItem only its own circuit items, and nothing else on the table', () => {
    const { template } = build({ circuitName: 'inventory' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('StateTable'), 'Arn'] },
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['cb#inventory', 'cb#inventory#w#*'] } },
        }]),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(actions.some((a: string) => a.includes('*'))).toBe(false);
  });

  test('an existing table is shared: no table is created and each breaker is limited to its own keys', () => {
    const stack = new Stack(new App(), 'Stack');
    const table = new dynamodb.Table(stack, 'Shared', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const a = new CircuitBreakerFunction(stack, 'A', { target: CircuitTarget.http(URL), stateTable: table, circuitName: 'a' });
    const b = new CircuitBreakerFunction(stack, 'B', { target: CircuitTarget.http(URL), stateTable: table, circuitName: 'b' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(a.stateTable).toBe(table);
    expect(b.stateTable).toBe(table);
    for (const name of ['a', 'b']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`cb#${name}`, `cb#${name}#w#*`] } } })]) },
      });
    }
  });

  test('a Lambda target and a Lambda fallback may be invoked by exact ARN only', () => {
    const { template } = build({}, (s) => ({
      target: CircuitTarget.lambda(existingFunction(s, 'inventory')),
      fallback: Fallback.lambda(existingFunction(s, 'inventory-cache')),
    }));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: ['arn:aws:lambda:eu-west-1:123456789012:function:inventory', 'arn:aws:lambda:eu-west-1:123456789012:function:inventory-cache'],
        }]),
      },
    });
    expect(settingsOf(template)).toMatchObject({
      target: { type: 'lambda', functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:inventory' },
      fallback: { type: 'lambda', functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:inventory-cache' },
    });
  });

  test('static fallback headers are kept and no fallback means none in the settings', () => {
    const withHeaders = build({ fallback: Fallback.staticResponse({ statusCode: 200, body: '[]', headers: { 'x-served-by': 'fallback' } }) });
    expect(settingsOf(withHeaders.template).fallback).toEqual({ type: 'static', statusCode: 200, body: '[]', headers: { 'x-served-by': 'fallback' } });
    const without = build({ fallback: undefined });
    expect(settingsOf(without.template).fallback).toBeUndefined();
  });

  test('the function can run in a VPC with chosen subnets and security groups', () => {
    const { template } = build({}, (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      return { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [new ec2.SecurityGroup(s, 'Sg', { vpc })] };
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('Sg'), 'GroupId'] }] },
    });
  });

  test('alarms on OPEN, fallback failures and state store errors; alarmTopic and addAlarmAction wire every alarm', () => {
    const stack = new Stack(new App(), 'Stack');
    const breaker = new CircuitBreakerFunction(stack, 'InventoryBreaker', {
      target: CircuitTarget.http(URL), circuitName: 'inventory', alarmTopic: new sns.Topic(stack, 'Topic', { enforceSSL: true }),
    });
    breaker.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Pager', { enforceSSL: true })));
    const template = Template.fromStack(stack);
    expect(breaker.alarms).toHaveLength(3);
    expect(breaker.alarms).toContain(breaker.openAlarm);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkServiceIntegration',
      MetricName: 'CircuitState',
      Dimensions: Match.arrayWith([{ Name: 'Circuit', Value: 'inventory' }, { Name: 'service', Value: 'circuit-breaker' }]),
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }, { Ref: Match.stringLikeRegexp('Pager') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('Topic') }, { Ref: Match.stringLikeRegexp('Pager') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FallbackFailures', Statistic: 'Sum', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'StateStoreErrors', Statistic: 'Sum', Threshold: 10 });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms.every((a) => a.Properties.AlarmActions.length === 2)).toBe(true);
  });

  test('metricCircuitState reads the Maximum of the CircuitState metric of this circuit', () => {
    const { breaker } = build({ circuitName: 'inventory' });
    const metric = breaker.metricCircuitState();
    expect(metric).toBeInstanceOf(cloudwatch.Metric);
    expect(metric.metricName).toBe('CircuitState');
    expect(metric.statistic).toBe('Maximum');
    expect(metric.dimensions).toEqual({ service: 'circuit-breaker', Circuit: 'inventory' });
    expect(breaker.metric('Rejected').statistic).toBe('Sum');
  });

  test('a realistic stack (Lambda target, Lambda fallback, VPC, topic) is cdk-nag clean', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    vpc.addFlowLog('FlowLog');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: key });
    new CircuitBreakerFunction(stack, 'Guarded', {
      target: CircuitTarget.lambda(existingFunction(stack, 'inventory')),
      fallback: Fallback.lambda(existingFunction(stack, 'inventory-cache')),
      vpc,
      alarmTopic: topic,
    });
    new CircuitBreakerFunction(stack, 'Http', { target: CircuitTarget.http(URL), fallback: Fallback.staticResponse({ statusCode: 503, body: '{}' }) });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('CircuitBreakerFunction validation', () => {
  type Setup = (stack: Stack) => Partial<CircuitBreakerFunctionProps>;
  const invalid = (props: Partial<CircuitBreakerFunctionProps>, setup?: Setup) => () => build(props, setup);

  test.each<[string, Partial<CircuitBreakerFunctionProps>, string]>([
    ['tripRules.failureRateThreshold', { tripRules: { failureRateThreshold: 0 } }, 'tripRules.failureRateThreshold must be between 1 and 100, got 0'],
    ['tripRules.minimumCalls', { tripRules: { minimumCalls: 0.5 } }, 'tripRules.minimumCalls must be an integer between 1 and 100000, got 0.5'],
    ['tripRules.slidingWindow', { tripRules: { slidingWindow: Duration.millis(10) } }, 'tripRules.slidingWindow must be between 1 second and 1 hour, got 10 millis'],
    ['tripRules.consecutiveFailureThreshold', { tripRules: { consecutiveFailureThreshold: -1 } }, 'tripRules.consecutiveFailureThreshold must be an integer between 0 and 100000, got -1'],
    ['tripRules.fleetFailureThreshold', { tripRules: { fleetFailureThreshold: 1.5 } }, 'tripRules.fleetFailureThreshold must be an integer between 0 and 1000000000, got 1.5'],
    ['tripRules.fleetWindow', { tripRules: { fleetWindow: Duration.hours(2) } }, 'tripRules.fleetWindow must be between 1 second and 1 hour, got 2 hours'],
    ['tripRules.slowCallRateThreshold', { tripRules: { slowCallRateThreshold: 101 } }, 'tripRules.slowCallRateThreshold must be between 1 and 100, got 101'],
    ['timeout', { timeout: Duration.minutes(16), callTimeout: Duration.seconds(1) }, 'timeout must be between 2 seconds and 15 minutes, got 16 minutes'],
    ['callTimeout vs timeout', { callTimeout: Duration.seconds(10) },
      'callTimeout must be at least 1 second shorter than timeout (10 seconds) to leave time for the fallback, got 10 seconds'],
    ['callTimeout range', { callTimeout: Duration.millis(5) }, 'callTimeout must be between 10 millis and 15 minutes, got 5 millis'],
    ['tripRules.slowCallDuration', { tripRules: { slowCallDuration: Duration.seconds(6) } }, 'tripRules.slowCallDuration must be between 1 milli and 5 seconds, got 6 seconds'],
    ['recovery.openDuration', { recovery: { openDuration: Duration.millis(500) } }, 'recovery.openDuration must be between 1 second and 1 hour, got 500 millis'],
    ['recovery.maxOpenDuration', { recovery: { maxOpenDuration: Duration.seconds(10) } }, 'recovery.maxOpenDuration must be between 30 seconds and 1 day, got 10 seconds'],
    ['recovery.halfOpenPermits', { recovery: { halfOpenPermits: 0 } }, 'recovery.halfOpenPermits must be an integer between 1 and 100, got 0'],
    ['recovery.halfOpenSuccessThreshold', { recovery: { halfOpenPermits: 2, halfOpenSuccessThreshold: 3 } }, 'recovery.halfOpenSuccessThreshold must be an integer between 1 and 2, got 3'],
    ['recovery.probeLease', { recovery: { probeLease: Duration.seconds(2) } }, 'recovery.probeLease must be at least callTimeout (5 seconds): a probe must be able to finish within its lease, got 2 seconds'],
    ['stateCache.refreshInterval', { stateCache: { refreshInterval: Duration.minutes(2) } }, 'stateCache.refreshInterval must be between 0 millis and 1 minute, got 2 minutes'],
    ['stateCache.maxStaleness', { stateCache: { maxStaleness: Duration.millis(500) } }, 'stateCache.maxStaleness must be between 1 second and 1 hour, got 500 millis'],
    ['memorySize', { memorySize: 64 }, 'memorySize must be an integer between 128 and 10240, got 64'],
    ['circuitName', { circuitName: 'has space*' }, "circuitName must be letters, digits and _ . : / - (1 to 100 characters), got 'has space*'"],
    ['target url', { target: CircuitTarget.http('inventory:8080') }, "target url must be an http:// or https:// URL, got 'inventory:8080'"],
    ['fallback statusCode', { fallback: Fallback.staticResponse({ statusCode: 99, body: '' }) }, 'fallback statusCode must be an integer between 100 and 599, got 99'],
    ['fallback body', { fallback: Fallback.staticResponse({ statusCode: 503, body: 'x'.repeat(3000) }) }, 'fallback body must be at most 2048 characters'],
  ])('rejects an invalid %s with a clear message', (_name, props, message) => {
    expect(invalid(props)).toThrow(message);
  });

  test('rejects vpcSubnets and securityGroups without a vpc', () => {
    expect(invalid({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow('vpcSubnets requires vpc');
    expect(invalid({}, (s) => ({ securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-12345678')] }))).toThrow('securityGroups requires vpc');
  });

  test('reports every problem at once, naming the construct path', () => {
    expect(invalid({ tripRules: { failureRateThreshold: 0 }, recovery: { halfOpenPermits: 0 }, memorySize: 1 })).toThrow(
      /CircuitBreakerFunction at 'Stack\/InventoryBreaker' has invalid props \(3 problems\)/,
    );
  });
});
