import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ApprovalCallbackApiProps } from './approval-callback-api-props';
import { APPROVAL_CALLBACK_SETTINGS_VARIABLE, CallbackSettingsDocument } from './approval-callback-settings';
import { libraryHandler } from '../core/library-handler';

/**
 * The approvers' endpoint of an {@link ApprovalWorkflow}, which creates it and exposes it as
 * `callbackApi`: a Lambda function URL whose GET shows the request and changes nothing,
 * and whose POST records the decision once and completes the waiting task
 * (`SendTaskSuccess`, or `SendTaskFailure` with `ApprovalRejected`) of the state machine
 * given to `allowCompletingTasksOf`. The URL is public on purpose (approvers follow an
 * emailed link); every request must carry a valid HMAC signature, checked before anything
 * is read. Use it through the workflow, e.g. to read `callbackApi.url` or alarm on
 * `callbackApi.function`; creating one on its own needs the workflow's table and
 * link-signing key.
 */
export class ApprovalCallbackApi extends Construct {
  /** The handler behind the URL. */
  public readonly function: lambda.IFunction;
  /** The function URL resource. */
  public readonly functionUrl: lambda.FunctionUrl;
  /** Base URL, ending in `/`; review links are `<url>approvals/<id>?e=..&s=..`. */
  public readonly url: string;
  /** The handler's log group. */
  public readonly logGroup: logs.ILogGroup;
  private readonly role: iam.IRole;
  private taskResponsePolicies = 0;

  constructor(scope: Construct, id: string, props: ApprovalCallbackApiProps) {
    super(scope, id);
    const synchronous = 'invoked synchronously through its function URL (RequestResponse), so there are no asynchronous failures to dead-letter';
    const settings: CallbackSettingsDocument = {
      tableName: props.decisionTable.tableName,
      keySecretName: props.linkSigningKeyName,
      workflowName: props.workflowName,
    };
    const handler = libraryHandler(this, 'Handler', {
      handlerName: 'approval-callback',
      description: 'Approval callback: review page (GET) and one-time decision (POST) for a human-approval workflow',
      timeout: Duration.seconds(15),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { [APPROVAL_CALLBACK_SETTINGS_VARIABLE]: Stack.of(this).toJsonString(settings) },
      nagAcknowledgements: [
        { id: 'Serverless-LambdaDLQ', reason: `The approval callback is ${synchronous}.` },
        { id: 'Serverless-LambdaAsyncFailureDestination', reason: `The approval callback is ${synchronous}.` },
      ],
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.role = handler.role;

    // Reads a decision and records it conditionally; it never creates an approval.
    grantDecisionTableAccess(handler.role, props.decisionTable, props.decisionTableKey, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    grantLinkKeyRead(handler.role, props.linkSigningKey, props.linkSigningKeyName);

    this.functionUrl = handler.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.url = this.functionUrl.url;
  }

  /**
   * Lets the callback complete the waiting tasks of `stateMachine`: `SendTaskSuccess` and
   * `SendTaskFailure` on its ARN, nothing else (no heartbeat, no other state machine).
   * The Service Authorization Reference lists no resource type for these actions, yet Step
   * Functions authorizes them against the ARN of the state machine that issued the token
   * (its AccessDenied names that ARN; aws-cdk-lib's `grantTaskResponse` scopes the same way).
   * A policy of its own, because the state machine depends on this function's URL and the
   * function depends on its role's default policy.
   */
  public allowCompletingTasksOf(stateMachine: sfn.IStateMachine): iam.Policy {
    return new iam.Policy(this, `TaskResponsePolicy${this.taskResponsePolicies++ || ''}`, {
      roles: [this.role],
      statements: [new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [stateMachine.stateMachineArn],
      })],
    });
  }
}

/**
 * Read access to the link-signing key through Parameter Store's Secrets Manager reference:
 * GetParameter on the reference path plus GetSecretValue (and decrypt) on the secret.
 */
export function grantLinkKeyRead(role: iam.IRole, secret: secretsmanager.ISecret, secretName: string): void {
  secret.grantRead(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ssm:GetParameter'],
    resources: [Stack.of(secret).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `aws/reference/secretsmanager/${secretName}`,
    })],
  }));
}

/**
 * The item operations an approval handler uses - never scans, deletes or batch writes - and
 * the exact KMS actions DynamoDB needs on the table's key.
 */
export function grantDecisionTableAccess(role: iam.IRole, table: dynamodb.ITable, key: kms.IKey | undefined, ...itemActions: string[]): void {
  table.grant(role, ...itemActions);
  key?.grant(role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
}
