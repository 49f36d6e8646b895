import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LambdaIntegrationLabStack } from '../../examples/lambda-integration/lambda-integration-lab-stack';
import { unacknowledgedNagFindings } from '../helpers/nag';

// One synthesis shared by the assertions; nag and the option variants synthesize their own.
const stack = new LambdaIntegrationLabStack(new App(), 'LambdaIntegrationLab');
const template = Template.fromStack(stack);
const json = template.toJSON();
type Resource = { Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const logicalIdIn = (owner: LambdaIntegrationLabStack, construct: { node: { defaultChild?: unknown } }) =>
  owner.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;
const idOf = (construct: { node: { defaultChild?: unknown } }) => logicalIdIn(stack, construct);
const functionIdOf = (bundle: string) => idOf(stack.functions[bundle].function);
const definitionOf = (stateMachineId: string) => JSON.stringify(json.Resources[stateMachineId].Properties.DefinitionString);

describe('LambdaIntegrationLab: events', () => {
  test('a custom bus named cafe archives the orders service\'s events for a week', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'cafe' });
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['cafe.orders'] },
      RetentionDays: 7,
      SourceArn: { 'Fn::GetAtt': [idOf(stack.events.bus), 'Arn'] },
    });
  });

  test('OrderPlaced starts the order workflow with the event detail, retrying an hour before dead-lettering', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: idOf(stack.events.bus) },
      EventPattern: { 'source': ['cafe.orders'], 'detail-type': ['OrderPlaced'] },
      Targets: [Match.objectLike({
        Arn: { Ref: idOf(stack.orderWorkflow.stateMachine) },
        InputPath: '$.detail',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 8 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack.events.deadLetterQueue), 'Arn'] } },
      })],
    });
  });

  test('OrderStatusChanged (except the statuses the workflow announces) becomes a notification message, through a role', () => {
    const rule = resources('AWS::Events::Rule')[idOf(stack.events.statusChangedRule)].Properties;
    expect(rule.EventPattern).toEqual({
      'source': ['cafe.orders'],
      'detail-type': ['OrderStatusChanged'],
      'detail': { status: [{ 'anything-but': ['COMPLETED', 'CANCELLED', 'REJECTED'] }] },
    });
    const [target] = rule.Targets;
    expect(target.Arn).toEqual({ Ref: idOf(stack.notifications.topic) });
    expect(target.RoleArn).toBeDefined();
    expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [idOf(stack.events.deadLetterQueue), 'Arn'] });
    expect(target.InputTransformer.InputTemplate).toContain('"eventType":"order.status-changed"');
    expect(target.InputTransformer.InputPathsMap).toMatchObject({ 'detail-orderId': '$.detail.orderId', 'detail-status': '$.detail.status' });
  });

  test('EventBridge Scheduler invokes the sales report nightly, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 0 * * ? *)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionIdOf('salesReport'), 'Arn'] },
        RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 3 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack.asyncFailureQueue), 'Arn'] } },
      }),
    });
  });
});

describe('LambdaIntegrationLab: triggers', () => {
  test('the orders stream feeds the stream processor in small batches, bisecting on error, then the failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf('orderStream') },
      EventSourceArn: { 'Fn::GetAtt': [idOf(stack.ordersTable), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack.streamFailureQueue), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  });

  test('S3 invokes the menu import natively for menu/*.csv, with a permission scoped to the bucket and the account', () => {
    const [bucketId, bucket] = Object.entries(resources('AWS::S3::Bucket'))[0];
    expect(bucket.Properties.NotificationConfiguration).toEqual({
      LambdaConfigurations: [{
        Event: 's3:ObjectCreated:*',
        Function: { 'Fn::GetAtt': [functionIdOf('menuImport'), 'Arn'] },
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'menu/' }, { Name: 'suffix', Value: '.csv' }] } },
      }],
    });
    expect(bucket.DependsOn).toContain('MenuUploadInvokePermission');
    const permission = resources('AWS::Lambda::Permission').MenuUploadInvokePermission.Properties;
    expect(permission).toMatchObject({ Principal: 's3.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(permission.SourceArn)).toContain('-files-');
    expect(JSON.stringify(json)).not.toContain('Custom::S3BucketNotifications');
    expect(bucketId).toMatch(/^Files/);
  });

  test('the two asynchronously invoked functions retry once, then send the event and error to the failure queue', () => {
    for (const bundle of ['menuImport', 'salesReport']) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionIdOf(bundle) },
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack.asyncFailureQueue), 'Arn'] } } },
      });
    }
  });

  test('the notifications function consumes both fan-out queues; the kitchen only gets completed orders', () => {
    for (const queue of [stack.customerQueue, stack.kitchenQueue]) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionIdOf('notifications') },
        EventSourceArn: { 'Fn::GetAtt': [idOf(queue.queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { 'Fn::GetAtt': [idOf(stack.kitchenQueue.queue), 'Arn'] }, FilterPolicy: { eventType: ['order.completed'] } });
    const customer = Object.values(resources('AWS::SNS::Subscription')).find((s) => JSON.stringify(s.Properties.Endpoint).includes(idOf(stack.customerQueue.queue)));
    expect(customer!.Properties.FilterPolicy).toBeUndefined();
  });
});

describe('LambdaIntegrationLab: workflows', () => {
  const order = () => definitionOf(idOf(stack.orderWorkflow.stateMachine));

  test('the order workflow is STANDARD, traced, logs every step, and asks a manager only above $100', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    expect(order()).toContain('\\"Variable\\":\\"$.order.totalCents\\",\\"NumericGreaterThan\\":10000');
    expect(order()).toContain('.waitForTaskToken');
  });

  test('the charge retries PaymentProviderUnavailable with exponential backoff and full jitter, and passes its retry count', () => {
    expect(order()).toContain('{\\"ErrorEquals\\":[\\"PaymentProviderUnavailable\\"],\\"IntervalSeconds\\":2,\\"MaxAttempts\\":3,\\"BackoffRate\\":2,\\"MaxDelaySeconds\\":10,\\"JitterStrategy\\":\\"FULL\\"}');
    expect(order()).toContain('\\"attempt.$\\":\\"$$.State.RetryCount\\"');
  });

  test('statuses are written by direct DynamoDB integrations with conditions, not by functions', () => {
    for (const state of ['CompleteOrder', 'CancelOrder', 'RejectOrder']) expect(order()).toContain(`\\"${state}\\":{`);
    expect(order()).toContain(':states:::dynamodb:updateItem');
    expect(order()).toContain('\\"ConditionExpression\\":\\"#status IN (:from0)\\"');
    expect(order()).toContain(':states:::sns:publish');
  });

  test('the order-status workflow is EXPRESS, traced, logged, and the API starts it synchronously', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    const method = Object.values(resources('AWS::ApiGateway::Method')).find((m) => JSON.stringify(m.Properties.Integration ?? {}).includes('StartSyncExecution'));
    expect(method!.Properties.HttpMethod).toBe('GET');
    expect(method!.Properties.RequestParameters).toEqual({ 'method.request.path.orderId': true });
    expect(method!.Properties.Integration.IntegrationResponses[0].ResponseTemplates['application/json']).toContain('#set($context.responseOverride.status = 404)');
    expect(JSON.stringify(method!.Properties.MethodResponses)).toContain('"StatusCode":"404"');
  });
});

describe('LambdaIntegrationLab: API and identity', () => {
  test('a Cognito pool without self sign-up and a CLI client that signs in with a password', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], GenerateSecret: false });
  });

  test('menu, place order and order status, each behind the token authorizer; the order body is validated by a model', () => {
    const methods = Object.values(resources('AWS::ApiGateway::Method')).filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(methods.map((m) => [m.Properties.HttpMethod, m.Properties.OperationName, m.Properties.AuthorizationType]).sort()).toEqual([
      ['GET', 'getMenu', 'CUSTOM'], ['GET', 'getOrderStatus', 'CUSTOM'], ['POST', 'placeOrder', 'CUSTOM'],
    ]);
    template.hasResourceProperties('AWS::ApiGateway::Model', { Schema: Match.objectLike({ required: ['items', 'paymentToken'], additionalProperties: false }) });
  });

  test('the API stage is traced and throttled; its access logs are JSON', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'lab',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('requestId') }),
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })]),
    });
  });
});

describe('LambdaIntegrationLab: functions', () => {
  test('every lab function is ARM64, Node.js 22, traced, and sized for its job', () => {
    const expected: Record<string, number> = {
      menu: 512,
      placeOrder: 512,
      orderStatus: 512,
      salesReport: 512,
      validateOrder: 256,
      inventory: 256,
      payments: 256,
      orderStream: 256,
      menuImport: 256,
      notifications: 256,
      paymentProvider: 128,
    };
    const functions = resources('AWS::Lambda::Function');
    for (const [bundle, memory] of Object.entries(expected)) {
      expect([bundle, functions[functionIdOf(bundle)].Properties]).toEqual([bundle, expect.objectContaining({
        Architectures: ['arm64'], Runtime: 'nodejs22.x', TracingConfig: { Mode: 'Active' }, MemorySize: memory,
      })]);
    }
  });

  test('the payments function may invoke only the circuit breaker, and the breaker only the stand-in provider', () => {
    const statements = (role: string) => Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
    expect(statements(idOf(stack.functions.payments.role))).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [idOf(stack.paymentBreaker.function), 'Arn'] } }),
    ]);
    const breakerSettings = JSON.stringify(resources('AWS::Lambda::Function')[idOf(stack.paymentBreaker.function)].Properties.Environment);
    expect(breakerSettings).toContain(functionIdOf('paymentProvider'));
    expect(breakerSettings).toContain('consecutiveFailureThreshold');
  });

  test('no provisioned concurrency by default; the prop adds a live alias that POST /orders calls', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 0);
    const warm = new LambdaIntegrationLabStack(new App(), 'Warm', { placeOrderProvisionedConcurrency: 2 });
    const warmTemplate = Template.fromStack(warm);
    warmTemplate.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    const post = Object.values(warmTemplate.findResources('AWS::ApiGateway::Method')).find((m: any) => m.Properties.HttpMethod === 'POST');
    expect(JSON.stringify(post!.Properties.Integration.Uri)).toContain(logicalIdIn(warm, warm.placeOrderAlias!));
  });

  test('a provisioned concurrency outside 0-50 is refused with the prop, the value and the range', () => {
    for (const bad of [-1, 1.5, 51]) {
      expect(() => new LambdaIntegrationLabStack(new App(), 'Bad', { placeOrderProvisionedConcurrency: bad }))
        .toThrow(`LambdaIntegrationLab: placeOrderProvisionedConcurrency must be an integer between 0 (off) and 50, got ${bad}`);
    }
  });
});

describe('LambdaIntegrationLab: cost, monitoring, teardown', () => {
  test('nothing runs while idle: no NAT gateway, VPC, container, database, instance or API cache', () => {
    const types = new Set(Object.values(json.Resources).map((r: any) => r.Type));
    for (const type of ['AWS::EC2::NatGateway', 'AWS::EC2::VPC', 'AWS::ECS::Service', 'AWS::RDS::DBInstance', 'AWS::EC2::Instance']) {
      expect(types.has(type)).toBe(false);
    }
    expect(JSON.stringify(resources('AWS::ApiGateway::Stage'))).not.toContain('CacheClusterEnabled":true');
  });

  test('every alarm notifies the encrypted lab alarm topic; failure queues, throttles and the status lookups alarm', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Café lab alarms', KmsMasterKeyId: Match.anyValue() });
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((a) => !JSON.stringify(a.Properties.AlarmActions ?? []).includes('AlarmTopic'))).toEqual([]);
    const descriptions = alarms.map((a) => String(a.Properties.AlarmDescription));
    for (const fragment of ['EventDeadLetters', 'StreamFailures', 'AsyncFailures', 'was throttled', 'order-status lookup', 'p99 of order-status', 'circuit']) {
      expect(descriptions.some((d) => d.includes(fragment))).toBe(true);
    }
    const throttles = alarms.find((a) => String(a.Properties.AlarmDescription).includes('throttled'))!;
    expect(throttles.Properties.Metrics).toHaveLength(11);
  });

  test('one dashboard shows both workflows, the payment circuit, the API, failure queues and throttles', () => {
    const body = JSON.stringify(Object.values(resources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const title of ['Order workflow (STANDARD)', 'Order status lookups (EXPRESS)', 'Payment circuit', 'API: requests', 'Failure queues', 'Throttles']) {
      expect(body).toContain(title);
    }
  });

  test('every log group is encrypted; the status workflow logs under the alarm key, whose policy lets CloudWatch Logs use it', () => {
    const groups = Object.entries(resources('AWS::Logs::LogGroup'));
    expect(groups.filter(([, g]) => g.Properties.KmsKeyId === undefined).map(([id]) => id)).toEqual([]);
    const alarmKeyArn = stack.resolve(stack.alarmTopic.masterKey!.keyArn);
    expect(json.Resources[idOf(stack.statusWorkflow.logGroup)].Properties.KmsKeyId).toEqual(alarmKeyArn);
    const statements: Array<{ Sid?: string }> = json.Resources[alarmKeyArn['Fn::GetAtt'][0]].Properties.KeyPolicy.Statement;
    expect(statements.map((st) => st.Sid)).toContain('AllowCloudWatchLogsOfThisAccount');
  });

  test('cdk destroy leaves nothing: no resource is retained or snapshotted, and the bucket empties itself', () => {
    const kept = Object.entries(json.Resources).filter(([, r]: [string, any]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(r.DeletionPolicy));
    expect(kept.map(([id]) => id)).toEqual([]);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  test('is cdk-nag clean (AwsSolutions + Serverless)', () => {
    expect(unacknowledgedNagFindings(new LambdaIntegrationLabStack(new App(), 'LambdaIntegrationLabNag'))).toEqual([]);
  });
});
