import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ApprovalCallbackApi, grantDecisionTableAccess, grantLinkKeyRead } from './approval-callback-api';
import { ApprovalCondition, isAlwaysCondition, renderApprovalCondition } from './approval-condition';
import { APPROVAL_REJECTED_ERROR, APPROVAL_REQUEST_EXPIRED_ERROR, APPROVAL_REQUEST_TRANSIENT_ERROR } from './approval-error-names';
import { APPROVAL_REQUEST_SETTINGS_VARIABLE, RequestSettingsDocument } from './approval-request-settings';
import { createApprovalWorkflowAlarms } from './approval-workflow-alarms';
import { ApprovalWorkflowProps } from './approval-workflow-props';
import { plainHttpSubscriptionProblems, validateApprovalWorkflowProps } from './approval-workflow-validation';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { createEncryptionKey, createLogGroup, withoutSnapshot } from '../core/defaults';
import { libraryHandler } from '../core/library-handler';
import { acknowledgeNagFindings } from '../core/nag';
import { denyTopicAccessWithoutTls } from '../core/tls-only';

/**
 * A Step Functions standard workflow that asks a human to approve: the request is stored
 * with its task token in an encrypted table, approvers get a short HMAC-signed link by
 * SNS, the link's page changes nothing, a POST decides exactly once, rejection fails the
 * task (then `onRejected` and `compensation` run), and an unanswered request takes the
 * `Expired` path after `approvalTimeout`.
 */
export class ApprovalWorkflow extends AlarmedConstruct {
  /** The workflow. */
  public readonly stateMachine: sfn.StateMachine;
  /** Approval requests are published here. */
  public readonly approvalTopic: sns.ITopic;
  /** The approvers' endpoint. */
  public readonly callbackApi: ApprovalCallbackApi;
  /** Base URL of the approvers' endpoint (ends in `/`). */
  public readonly callbackUrl: string;
  /** Lets the callback complete this state machine's tasks: `SendTaskSuccess`/`SendTaskFailure` on its ARN only. */
  public readonly callbackTaskPolicy: iam.Policy;
  /** Approval emails SNS could not deliver. Undefined when there are no `approvers`. */
  public readonly deliveryDeadLetterQueue?: sqs.IQueue;
  /** Undeliverable approval emails. Undefined when there are no `approvers`. */
  public readonly deliveryFailureAlarm?: cloudwatch.Alarm;
  /** Approvals: task tokens (server-side only) and decisions. */
  public readonly decisionTable: dynamodb.Table;
  /** The generated secret that signs approval links. */
  public readonly linkSigningKey: secretsmanager.Secret;
  /** The Lambda function the RequestApproval task invokes. */
  public readonly requestFunction: lambda.IFunction;
  /** The execution log (level ALL). */
  public readonly logGroup: logs.LogGroup;
  /** The key encrypting the topic, table and secret. */
  public readonly encryptionKey: kms.IKey;
  /** Any execution failed (rejections and expiries included: each ran compensation). */
  public readonly failedAlarm: cloudwatch.Alarm;
  /** An execution hit `executionTimeout`. */
  public readonly timedOutAlarm: cloudwatch.Alarm;
  /** An approval request expired without a decision. */
  public readonly expiredAlarm: cloudwatch.Alarm;
  /** The callback endpoint returned an error (5xx, e.g. Step Functions unreachable). */
  public readonly callbackErrorAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ApprovalWorkflowProps) {
    super(scope, id, props.alarmTopic);
    validateApprovalWorkflowProps(this, props);
    // Nothing here can be snapshotted by CloudFormation: SNAPSHOT means keep.
    const removalPolicy = withoutSnapshot(props.removalPolicy);
    const workflowName = props.stateMachineName ?? this.node.path;

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts approval requests, decisions and the link-signing key of ${this.node.path}`,
      removalPolicy,
    });

    if (props.approvalTopic) {
      this.approvalTopic = props.approvalTopic;
    } else {
      this.approvalTopic = new sns.Topic(this, 'ApprovalTopic', { displayName: 'Approval requests', masterKey: this.encryptionKey });
      denyTopicAccessWithoutTls(this.approvalTopic);
    }
    if ((props.approvers ?? []).length > 0) {
      // An approval email SNS cannot deliver would silently run into the Expired path: keep it and alarm.
      this.deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
      acknowledgeNagFindings(this.deliveryDeadLetterQueue, [{
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the approval email subscriptions; a dead-letter queue needs none of its own.',
      }, {
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is the dead-letter queue of the approval email subscriptions; nothing consumes it, so there is nothing to redrive.',
      }]);
      for (const email of props.approvers ?? []) {
        this.approvalTopic.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue: this.deliveryDeadLetterQueue }));
      }
    }
    const subscribed = (props.subscriptions ?? []).map((subscription) => this.approvalTopic.addSubscription(subscription));
    this.node.addValidation({ validate: () => plainHttpSubscriptionProblems(this.approvalTopic, subscribed) });

    this.decisionTable = new dynamodb.Table(this, 'DecisionTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      removalPolicy,
    });

    const keyName = `approval-link-key/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    this.linkSigningKey = new secretsmanager.Secret(this, 'LinkSigningKey', {
      secretName: keyName,
      description: 'HMAC key that signs approval links (never leaves Secrets Manager and the approval functions)',
      encryptionKey: this.encryptionKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Not data: it only verifies links of this deployment. Deleting it with the stack also
      // frees its fixed name, so the same stack can be deployed again.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeNagFindings(this.linkSigningKey, [{
      id: 'AwsSolutions-SMG4',
      reason: 'The secret is a generated HMAC key that signs approval links valid at most approvalTimeout; it is never shown to anyone. ' +
        'Rotating it invalidates every outstanding link, so it is rotated deliberately (put a new random value) rather than on a schedule.',
    }]);

    this.callbackApi = new ApprovalCallbackApi(this, 'CallbackApi', {
      decisionTable: this.decisionTable,
      decisionTableKey: this.encryptionKey,
      linkSigningKey: this.linkSigningKey,
      linkSigningKeyName: keyName,
      workflowName,
      logRetention: props.logRetention,
      removalPolicy,
      encryptionKey: this.encryptionKey,
      reservedConcurrentExecutions: props.callbackReservedConcurrency,
    });
    this.callbackUrl = this.callbackApi.url;

    const requestSettings: RequestSettingsDocument = {
      tableName: this.decisionTable.tableName,
      topicArn: this.approvalTopic.topicArn,
      callbackUrl: this.callbackUrl,
      keySecretName: keyName,
      timeoutSeconds: props.approvalTimeout.toSeconds(),
      workflowName,
      auditRetentionDays: props.auditRetentionDays ?? 90,
      summaryFields: props.summaryFields,
    };
    const request = libraryHandler(this, 'RequestHandler', {
      handlerName: 'approval-request',
      description: 'Stores an approval request (task token server-side) and publishes a signed review link',
      timeout: Duration.seconds(15),
      logRetention: props.logRetention,
      removalPolicy,
      encryptionKey: this.encryptionKey,
      environment: { [APPROVAL_REQUEST_SETTINGS_VARIABLE]: Stack.of(this).toJsonString(requestSettings) },
      nagAcknowledgements: [
        { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by the Step Functions task, which retries and catches its errors; nothing to dead-letter.' },
        { id: 'Serverless-LambdaAsyncFailureDestination', reason: 'Invoked synchronously by the Step Functions task; failures surface in the execution.' },
      ],
    });
    this.requestFunction = request.function;
    grantDecisionTableAccess(request.role, this.decisionTable, this.encryptionKey, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    if (props.approvalTopic) {
      props.approvalTopic.grantPublish(request.role);
    } else {
      // Exact actions instead of grantPublish's kms:GenerateDataKey* wildcard.
      request.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.approvalTopic.topicArn] }));
      this.encryptionKey.grant(request.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    grantLinkKeyRead(request.role, this.linkSigningKey, keyName);

    this.logGroup = createLogGroup(this, 'ExecutionLog', { encryptionKey: this.encryptionKey, retention: props.logRetention, removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(this.buildDefinition(props, request.function)),
      timeout: props.executionTimeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: props.includeExecutionDataInLogs ?? false },
    });
    this.callbackTaskPolicy = this.callbackApi.allowCompletingTasksOf(this.stateMachine);
    const requestLogicalId = Stack.of(this).resolve((request.function.node.defaultChild as lambda.CfnFunction).logicalId);
    acknowledgeNagFindings(this.stateMachine.role.node.tryFindChild('DefaultPolicy')!, [{
      id: 'AwsSolutions-IAM5',
      reason: 'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray tracing actions do not support resource-level permissions.',
      appliesTo: ['Resource::*'],
    }, {
      id: 'AwsSolutions-IAM5',
      reason: 'CDK grants invoke on the request function and its versions (ARN:*); the wildcard covers versions of this one function only.',
      appliesTo: [`Resource::<${requestLogicalId}.Arn>:*`],
    }]);

    const alarms = createApprovalWorkflowAlarms(this, this._alarmSet, {
      workflowName,
      stateMachine: this.stateMachine,
      executionLog: this.logGroup,
      callbackFunction: this.callbackApi.function,
      deliveryDeadLetterQueue: this.deliveryDeadLetterQueue,
    });
    this.failedAlarm = alarms.failedAlarm;
    this.timedOutAlarm = alarms.timedOutAlarm;
    this.expiredAlarm = alarms.expiredAlarm;
    this.deliveryFailureAlarm = alarms.deliveryFailureAlarm;
    this.callbackErrorAlarm = alarms.callbackErrorAlarm;
  }

  /** Allow `grantee` to start executions. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  private buildDefinition(props: ApprovalWorkflowProps, requestFunction: lambda.IFunction): sfn.IChainable {
    // The state goes to the request function only to pick the named summary fields from.
    const needsState = Object.keys(props.summaryFields ?? {}).length > 0;

    // Where every unhappy path ends: compensation (state preserved), then a Fail naming why.
    const expiredEnd = new sfn.Fail(this, 'ApprovalExpired', { error: 'ApprovalExpired', cause: 'No decision was made within the approval timeout' });
    const rejectedEnd = new sfn.Fail(this, 'ApprovalRejectedEnd', { stateName: 'ApprovalRejected', error: 'ApprovalRejected', cause: 'An approver rejected the request' });
    const failedEnd = new sfn.Fail(this, 'WorkflowFailed', { error: 'WorkflowFailed', cause: 'A step failed; compensation ran' });
    const decisionIs = (value: string) => sfn.Condition.and(sfn.Condition.isPresent('$.approval.decision'), sfn.Condition.stringEquals('$.approval.decision', value));
    const outcome = new sfn.Choice(this, 'Outcome')
      .when(decisionIs('EXPIRED'), expiredEnd)
      .when(decisionIs('REJECTED'), rejectedEnd)
      .otherwise(failedEnd);
    const afterFailure: sfn.IChainable = props.compensation
      ? new sfn.Parallel(this, 'Compensate', { resultPath: sfn.JsonPath.DISCARD }).branch(props.compensation).next(outcome)
      : outcome;

    const approved = new sfn.Parallel(this, 'Approved', { outputPath: '$[0]' }).branch(props.onApproved);
    approved.addCatch(afterFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });

    const requestApproval = new tasks.LambdaInvoke(this, 'RequestApproval', {
      lambdaFunction: requestFunction,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        executionArn: sfn.JsonPath.executionId,
        stateName: sfn.JsonPath.stringAt('$$.State.Name'),
        enteredTime: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
        ...(needsState ? { state: sfn.JsonPath.entirePayload } : {}),
      }),
      taskTimeout: sfn.Timeout.duration(props.approvalTimeout),
      resultPath: '$.approval',
    });
    const expired = new sfn.Pass(this, 'Expired', { parameters: { decision: 'EXPIRED' }, resultPath: '$.approval' });
    expired.next(afterFailure);
    const rejected = new sfn.Pass(this, 'Rejected', {
      parameters: { 'decision': 'REJECTED', 'cause.$': '$.approval.Cause' },
      resultPath: '$.approval',
    });
    if (props.onRejected) {
      rejected.next(new sfn.Parallel(this, 'OnRejected', { resultPath: sfn.JsonPath.DISCARD }).branch(props.onRejected)).next(afterFailure);
    } else {
      rejected.next(afterFailure);
    }
    // The request is idempotent per state visit, so transient failures are retried. Never
    // States.TaskFailed: it would also match the ApprovalRejected that SendTaskFailure reports.
    requestApproval.addRetry({ errors: [APPROVAL_REQUEST_TRANSIENT_ERROR], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 });
    // A request that expired before its link went out is an expiry too, not a failed step.
    requestApproval.addCatch(expired, { errors: [sfn.Errors.TIMEOUT, APPROVAL_REQUEST_EXPIRED_ERROR], resultPath: '$.approval' });
    requestApproval.addCatch(rejected, { errors: [APPROVAL_REJECTED_ERROR], resultPath: '$.approval' });
    requestApproval.addCatch(afterFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    requestApproval.next(approved);

    const condition = props.requiresApproval ?? ApprovalCondition.always();
    const gate: sfn.IChainable = isAlwaysCondition(condition)
      ? requestApproval
      : new sfn.Choice(this, 'RequiresApproval')
        .when(renderApprovalCondition(condition), requestApproval)
        .otherwise(new sfn.Pass(this, 'NoApprovalNeeded', { result: sfn.Result.fromObject({ decision: 'NOT_REQUIRED' }), resultPath: '$.approval' }).next(approved));
    return props.beforeApproval ? sfn.Chain.start(props.beforeApproval).next(gate) : gate;
  }
}

