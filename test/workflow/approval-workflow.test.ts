import { App, CfnResource, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ApprovalCondition, ApprovalWorkflow, ApprovalWorkflowProps } from '../../src/workflow';
import { keyArnOf, logGroupKeys } from '../helpers/encryption';
import { unacknowledgedNagFindings } from '../helpers/nag';
import { synthesizedSettings } from '../helpers/settings-contract';
import { stateMachineDefinition } from '../helpers/state-machine-definition';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: () => string };

function build(props: Partial<ApprovalWorkflowProps> = {}, configure?: (stack: Stack) => Partial<ApprovalWorkflowProps>) {
  const stack = new Stack(new App(), 'Stack');
  const extra = configure?.(stack) ?? {};
  const workflow = new ApprovalWorkflow(stack, 'LargeOrderApproval', {
    approvers: ['ops@example.com'],
    requiresApproval: ApprovalCondition.numberGreaterThan('$.amount', 100),
    approvalTimeout: Duration.hours(24),
    onApproved: new sfn.Pass(stack, 'ProcessPayment'),
    ...props,
    ...extra,
  });
  return {
    stack,
    workflow,
    // Synthesizes on first use, so tests may still add to the stack before reading it.
    get template() {
      return Template.fromStack(stack);
    },
  };
}

const requestSettingsOf = (template: Template) => synthesizedSettings(template, 'APPROVAL_SETTINGS', /^Stores an approval request/);

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
};

describe('ApprovalWorkflow resources', () => {
  test('the construct key encrypts the execution log and both handlers\' log groups; no other key is created', () => {
    const { template, stack, workflow } = build();
    template.resourceCountIs('AWS::KMS::Key', 1);
    const keys = logGroupKeys(template);
    expect(Object.keys(keys)).toHaveLength(3);
    for (const key of Object.values(keys)) expect(key).toEqual(keyArnOf(stack, workflow.encryptionKey));
  });

  test('a standard state machine logs ALL without execution data to a 1-month log group, with tracing', () => {
    const { template, stack, workflow } = build();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [stack.getLogicalId(workflow.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] } } }],
      },
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
  });

  test('the approval task waits for the token with TimeoutSeconds = approvalTimeout and catches the timeout into Expired', () => {
    const { stack } = build({ approvalTimeout: Duration.hours(6) });
    const definition = stateMachineDefinition(stack);
    const task = definition.States.RequestApproval;
    expect(task.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(task.TimeoutSeconds).toBe(21_600);
    expect(task.HeartbeatSeconds).toBeUndefined();
    expect(task.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(task.Catch.map((c: any) => [c.ErrorEquals, c.Next])).toEqual([
      [['States.Timeout', 'ApprovalRequestExpired'], 'Expired'], [['ApprovalRejected'], 'Rejected'], [['States.ALL'], 'Outcome'],
    ]);
    expect(definition.States.ApprovalExpired).toMatchObject({ Type: 'Fail', Error: 'ApprovalExpired' });
    const retried = task.Retry.flatMap((r: any) => r.ErrorEquals);
    expect(retried).toContain('ApprovalRequestTransient');
    expect(retried).not.toContain('States.TaskFailed');
    expect(retried).not.toContain('States.ALL');
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  test('the synthesized definition is valid Amazon States Language', () => {
    const { stack } = build({
      beforeApproval: undefined,
    }, (s) => ({ compensation: new sfn.Pass(s, 'Undo'), onRejected: new sfn.Pass(s, 'Tell'), beforeApproval: new sfn.Pass(s, 'Check') }));
    const result = aslValidator(stateMachineDefinition(stack));
    expect({ valid: result.isValid, errors: result.errorsText() }).toEqual({ valid: true, errors: '' });
  });

  test('the topic is encrypted with the workflow key and denies every action without TLS; approvers are email subscribers with a DLQ', () => {
    const { template, stack, workflow } = build({ approvers: ['a@example.com', 'b@example.com'] });
    const keyId = stack.getLogicalId(workflow.encryptionKey.node.defaultChild as kms.CfnKey);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'a@example.com', RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the decision table is KMS-encrypted with the workflow key, has PITR and a TTL, and is retained', () => {
    const { template } = build();
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the link-signing key is a generated 64-character secret encrypted with the workflow key, deleted with the stack', () => {
    const { template } = build();
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: Match.stringLikeRegexp('^approval-link-key/'),
      KmsKeyId: Match.anyValue(),
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  test('the callback is a public function URL with active tracing on ARM64', () => {
    const { template, workflow, stack } = build();
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Description: Match.stringLikeRegexp('^Approval callback'),
    });
    expect(workflow.callbackUrl).toBe(workflow.callbackApi.url);
    expect(stack.resolve(workflow.callbackUrl)).toEqual({ 'Fn::GetAtt': [expect.stringContaining('CallbackApi'), 'FunctionUrl'] });
  });

  test('the callback role may complete tasks of this state machine only, and read and update (never create) decisions', () => {
    const { template, workflow, stack } = build();
    const role = stack.getLogicalId(workflow.callbackApi.function.role!.node.defaultChild as iam.CfnRole);
    const stateMachine = stack.getLogicalId(workflow.stateMachine.node.defaultChild as sfn.CfnStateMachine);
    const table = stack.getLogicalId(workflow.decisionTable.node.defaultChild as dynamodb.CfnTable);
    const key = stack.getLogicalId(workflow.encryptionKey.node.defaultChild as kms.CfnKey);
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }));
    const statements = (policy: any) => policy.Properties.PolicyDocument.Statement.map((st: any) => ({ Action: st.Action, Resource: st.Resource }));

    expect(policies).toHaveLength(2);
    const [taskResponses] = policies.filter((p) => p.Properties.PolicyName === stack.resolve(workflow.callbackTaskPolicy.policyName));
    expect(statements(taskResponses)).toEqual([
      { Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'], Resource: { Ref: stateMachine } },
    ]);
    const [defaultPolicy] = policies.filter((p) => p !== taskResponses);
    expect(statements(defaultPolicy)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.anything() },
      { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      { Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: [{ 'Fn::GetAtt': [table, 'Arn'] }] },
      { Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [key, 'Arn'] } },
      { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: stack.getLogicalId(workflow.linkSigningKey.node.defaultChild as CfnResource) } },
      {
        Action: 'ssm:GetParameter',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, expect.stringMatching(/^:parameter\/aws\/reference\/secretsmanager\/approval-link-key\/Stack-LargeOrderApproval-[0-9A-F]{8}$/)]] },
      },
    ]);
    // The only "*" left is X-Ray's, acknowledged by HandlerFunction; nothing about SendTask* needs a reason any more.
    expect(JSON.stringify(policies.map((p) => p.Metadata))).not.toContain('SendTask');
  });

  test('the request role may create, read and update decisions', () => {
    const { template, workflow, stack } = build();
    const role = stack.getLogicalId(workflow.requestFunction.role!.node.defaultChild as iam.CfnRole);
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }));
    const actions = policy.Properties.PolicyDocument.Statement.map((st: any) => st.Action);
    expect(actions).toContainEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(actions)).not.toMatch(/states:|dynamodb:(Scan|Query|DeleteItem|Batch)/);
  });

  test('the request handler gets its settings as one JSON variable and may publish only to the topic', () => {
    const { template } = build();
    const functions = template.findResources('AWS::Lambda::Function');
    const request = Object.entries(functions).find(([id]) => id.includes('RequestHandler'))![1];
    const settings = JSON.stringify(request.Properties.Environment.Variables.APPROVAL_SETTINGS);
    for (const field of ['tableName', 'topicArn', 'callbackUrl', 'keySecretName', 'timeoutSeconds', 'workflowName', 'auditRetentionDays']) {
      expect(settings).toContain(field);
    }
    expect(settings).toContain('\\"timeoutSeconds\\":86400');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('ApprovalTopic') } })]) },
    });
  });

  test('alarms watch failed, timed-out and expired executions, callback errors and undeliverable emails', () => {
    const { template, workflow } = build();
    expect(workflow.alarms).toHaveLength(5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsTimedOut', Namespace: 'AWS/States' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: Match.stringLikeRegexp('^ApprovalsExpired-'), Namespace: 'CdkServiceIntegration/ApprovalWorkflow' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.type = "PassStateEntered") && ($.details.name = "Expired") }',
      MetricTransformations: [Match.objectLike({ MetricValue: '1', DefaultValue: 0 })],
    });
  });

  test('alarmTopic and addAlarmAction wire every alarm (ALARM and OK)', () => {
    const { workflow, stack } = build({}, (s) => ({ alarmTopic: new sns.Topic(s, 'OnCall') }));
    workflow.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Pager')));
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(2);
      expect(alarm.Properties.OKActions).toHaveLength(2);
    }
  });

  test('grantStartExecution lets a function start executions of this state machine only', () => {
    const { stack, workflow } = build();
    const starter = new iam.Role(stack, 'Starter', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    workflow.grantStartExecution(starter);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(starter.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: Match.stringLikeRegexp('StateMachine') } })] },
    });
  });
});

describe('ApprovalWorkflow options', () => {
  test('an existing topic is used as is: no topic created, publish granted through the topic', () => {
    const { template } = build({ approvers: [] }, (s) => ({ approvalTopic: sns.Topic.fromTopicArn(s, 'Existing', 'arn:aws:sns:eu-west-1:123456789012:approvals') }));
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:123456789012:approvals' })]) },
    });
  });

  test('subscriptions replace approvers (e.g. an SQS queue for a chat bot); without approvers there is no email DLQ', () => {
    const { template, workflow } = build({ approvers: undefined }, (s) => ({ subscriptions: [new subscriptions.SqsSubscription(new sqs.Queue(s, 'Bot'))] }));
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs' });
    expect(workflow.deliveryDeadLetterQueue).toBeUndefined();
    expect(workflow.alarms).toHaveLength(4);
  });

  test('an existing key, DESTROY, log retention, name, execution timeout and execution data are honoured', () => {
    const { template, stack } = build({
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: logs.RetentionDays.ONE_WEEK,
      stateMachineName: 'orders-approval',
      executionTimeout: Duration.days(2),
      includeExecutionDataInLogs: true,
      auditRetentionDays: 7,
    }, (s) => ({ encryptionKey: new kms.Key(s, 'TeamKey') }));
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'orders-approval',
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: true }),
    });
    expect(stateMachineDefinition(stack).TimeoutSeconds).toBe(172_800);
  });

  test('the callback function can get reserved concurrency', () => {
    const { template } = build({ callbackReservedConcurrency: 20 });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Approval callback'), ReservedConcurrentExecutions: 20 });
  });

  test('by default approvers see no request data: the request function gets no state and no summary fields', () => {
    const { stack, template } = build();
    const payload = stateMachineDefinition(stack).States.RequestApproval.Parameters.Payload;
    expect(Object.keys(payload).sort()).toEqual(['enteredTime.$', 'executionArn.$', 'stateName.$', 'taskToken.$']);
    expect(requestSettingsOf(template).summaryFields).toBeUndefined();
  });

  test('named summary fields reach the request function, which gets the state to pick them from', () => {
    const summaryFields = { orderId: '$.orderId', amount: '$.amount', country: "$.address['country code']" };
    const { stack, template } = build({ summaryFields });
    expect(stateMachineDefinition(stack).States.RequestApproval.Parameters.Payload['state.$']).toBe('$');
    expect(requestSettingsOf(template).summaryFields).toEqual(summaryFields);
  });

  test('plain-HTTP subscriptions are refused at synth, naming the prop and the endpoint; HTTPS is accepted', () => {
    const http = () => build({ approvers: undefined, subscriptions: [new subscriptions.UrlSubscription('https://hooks.example.com/a'), new subscriptions.UrlSubscription('http://hooks.example.com/b')] }).template;
    expect(errorOf(http)).toContain("subscriptions[1] must not be a plain-HTTP endpoint: approval links are credentials, subscribe an https:// URL instead, got 'http://hooks.example.com/b'");
    build({ approvers: undefined, subscriptions: [new subscriptions.UrlSubscription('https://hooks.example.com/a')] }).template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https' });
  });

  test('a plain-HTTP subscription added to the approval topic elsewhere is refused at synth too', () => {
    const { workflow, stack } = build();
    workflow.approvalTopic.addSubscription(new subscriptions.UrlSubscription('http://chat.example.com/hook'));
    expect(errorOf(() => Template.fromStack(stack))).toMatch(/approvalTopic subscription '.+' must not be a plain-HTTP endpoint: .*, got 'http:\/\/chat\.example\.com\/hook'/);
  });

  test('conditions render with fail-closed type checks; anyOf/allOf combine them', () => {
    const { stack } = build({
      requiresApproval: ApprovalCondition.anyOf(
        ApprovalCondition.numberGreaterThanOrEqual('$.amount', 1000),
        ApprovalCondition.allOf(ApprovalCondition.stringEquals('$.country', 'XX'), ApprovalCondition.booleanEquals('$.newCustomer', true)),
        ApprovalCondition.isPresent('$.manualReview'),
        ApprovalCondition.numberLessThan('$.margin', 0),
      ),
    });
    const choice = stateMachineDefinition(stack).States.RequiresApproval.Choices[0];
    expect(choice.Or[0]).toEqual({
      Or: [
        { Not: { Variable: '$.amount', IsPresent: true } },
        { Not: { Variable: '$.amount', IsNumeric: true } },
        { Variable: '$.amount', NumericGreaterThanEquals: 1000 },
      ],
    });
    expect(JSON.stringify(choice.Or[1])).toContain('"StringEquals":"XX"');
    expect(choice.Or[2]).toEqual({ Variable: '$.manualReview', IsPresent: true });
    expect(ApprovalCondition.numberGreaterThan('$.amount', 100).description).toBe('$.amount > 100');
  });
});

describe('ApprovalWorkflow validation', () => {
  test('a missing approvalTimeout is refused', () => {
    expect(errorOf(() => build({ approvalTimeout: undefined as unknown as Duration }))).toContain(
      'approvalTimeout is required: a callback task without a timeout can wait a year unnoticed',
    );
  });

  test.each([
    [Duration.seconds(0), 'must be between 1 minute and 365 days, got 0 seconds'],
    [Duration.seconds(30), 'must be between 1 minute and 365 days, got 30 seconds'],
    [Duration.days(366), 'must be between 1 minute and 365 days, got 366 days'],
    [Duration.millis(90_500), 'must be whole seconds'],
  ])('approvalTimeout %s is refused', (timeout, message) => {
    expect(errorOf(() => build({ approvalTimeout: timeout }))).toContain(`approvalTimeout ${message}`);
  });

  test('a negative timeout cannot even be expressed (aws-cdk-lib Duration refuses it)', () => {
    expect(() => Duration.hours(-1)).toThrow(/negative/);
  });

  test('an EXPRESS state machine is refused: it cannot wait for a task token', () => {
    expect(errorOf(() => build({ stateMachineType: sfn.StateMachineType.EXPRESS }))).toContain(
      "stateMachineType must be STANDARD: EXPRESS workflows cannot wait for a task token, and the approval is a callback (.waitForTaskToken) task, got 'EXPRESS'",
    );
  });

  test('no approvers and no other delivery is refused; invalid email addresses are named', () => {
    expect(errorOf(() => build({ approvers: [] }))).toContain(
      'approvers must list at least one email address when neither subscriptions nor an existing approvalTopic delivers the approval request, got []',
    );
    expect(errorOf(() => build({ approvers: ['ops@example.com', 'not-an-email'] }))).toContain("approvers[1] must be an email address, got 'not-an-email'");
  });

  test.each([
    [ApprovalCondition.numberGreaterThan('amount', 100), "requiresApproval path must be a JSONPath reference path such as '$.amount' (no wildcards or filters), got 'amount'"],
    [ApprovalCondition.numberGreaterThan('$.items[*].price', 1), "got '$.items[*].price'"],
    [ApprovalCondition.stringEquals('$..country', 'X'), "got '$..country'"],
    [ApprovalCondition.numberGreaterThan('$.amount', Number.NaN), 'requiresApproval value must be a finite number, got null'],
    [ApprovalCondition.anyOf(), 'requiresApproval anyOf needs at least one condition, got 0'],
    [ApprovalCondition.allOf(ApprovalCondition.isPresent('$.a b')), 'requiresApproval.allOf[0] path must be a JSONPath reference path'],
  ])('an invalid condition is refused (%#)', (condition, message) => {
    expect(errorOf(() => build({ requiresApproval: condition }))).toContain(message);
  });

  test('summary fields that would show the whole state, use wildcards, bad labels or too many fields are refused', () => {
    const message = errorOf(() => build({ summaryFields: { 'everything': '$', 'items': '$.items[*].price', 'amount!': '$.amount', 'order': 'orderId' } }));
    expect(message).toContain("summaryFields.everything must name a field of the state such as '$.everything', not the whole state, got '$'");
    expect(message).toContain("summaryFields.items must be a JSONPath reference path such as '$.order.amount' (no wildcards or filters), got '$.items[*].price'");
    expect(message).toContain('summaryFields["amount!"] must be labelled with 1 to 64 letters, digits, spaces, _ or -, starting with a letter, got \'amount!\'');
    expect(message).toContain("summaryFields.order must be a JSONPath reference path such as '$.order.amount' (no wildcards or filters), got 'orderId'");
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, `$.f${i}`]));
    expect(errorOf(() => build({ summaryFields: many }))).toContain('summaryFields must name at most 20 fields, got 21');
    // Unresolved values are left to deploy time.
    expect(() => build({ summaryFields: { order: Lazy.string({ produce: () => '$.orderId' }) } })).not.toThrow();
  });

  test('an invalid auditRetentionDays, callbackReservedConcurrency or executionTimeout is refused', () => {
    expect(errorOf(() => build({ auditRetentionDays: -1 }))).toContain('auditRetentionDays must be an integer between 0 and 3650, got -1');
    expect(errorOf(() => build({ callbackReservedConcurrency: 0 }))).toContain('callbackReservedConcurrency must be an integer between 1 and 1000, got 0');
    expect(errorOf(() => build({ executionTimeout: Duration.hours(1) }))).toContain('executionTimeout must be longer than approvalTimeout (1 day)');
  });

  test('a caller chain with a callback task without timeout is refused', () => {
    const message = errorOf(() => build({}, (s) => ({
      onApproved: new tasks.LambdaInvoke(s, 'WaitForWarehouse', {
        lambdaFunction: lambda.Function.fromFunctionArn(s, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:f'),
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
      }),
    })));
    expect(message).toContain("onApproved must not contain a .waitForTaskToken task without a timeout (it could wait a year unnoticed), got 'WaitForWarehouse'");
  });

  test('every problem is reported in one error naming the construct path', () => {
    const message = errorOf(() => build({
      approvers: [],
      approvalTimeout: Duration.seconds(0),
      stateMachineType: sfn.StateMachineType.EXPRESS,
      requiresApproval: ApprovalCondition.numberGreaterThan('amount', 1),
    }));
    expect(message).toMatch(/^ApprovalWorkflow at 'Stack\/LargeOrderApproval' has invalid props \(4 problems\)/);
  });
});

test('a realistic stack is cdk-nag clean (AwsSolutions + Serverless, errors and warnings)', () => {
  const stack = new Stack(new App(), 'Orders');
  new ApprovalWorkflow(stack, 'LargeOrderApproval', {
    approvers: ['ops@example.com'],
    requiresApproval: ApprovalCondition.numberGreaterThan('$.amount', 100),
    approvalTimeout: Duration.hours(24),
    beforeApproval: new sfn.Pass(stack, 'ValidateOrder'),
    onApproved: new sfn.Pass(stack, 'ProcessPayment'),
    onRejected: new sfn.Pass(stack, 'NotifyCustomer'),
    compensation: new sfn.Pass(stack, 'ReleaseStock'),
    alarmTopic: sns.Topic.fromTopicArn(stack, 'OnCall', 'arn:aws:sns:eu-west-1:123456789012:on-call'),
  });
  expect(unacknowledgedNagFindings(stack, { includeWarnings: true })).toEqual([]);
});
