import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { libraryHandler } from '../core/library-handler';

/** Settings of an {@link ApprovalCallbackApi}. */
export interface ApprovalCallbackApiProps {
  /** The approvals table holding task tokens and decisions. */
  readonly decisionTable: dynamodb.ITable;
  /** The key encrypting the table. @default - the table is not encrypted with a customer-managed key */
  readonly decisionTableKey?: kms.IKey;
  /** The generated secret whose value signs approval links. */
  readonly linkSigningKey: secretsmanager.ISecret;
  /** The secret's name (Parameter Store reads it as `/aws/reference/secretsmanager/<name>`). */
  readonly linkSigningKeyName: string;
  /** Shown on the review page. */
  readonly workflowName: string;
  /** @default DEFAULT_LOG_RETENTION */
  readonly logRetention?: logs.RetentionDays;
  /** Removal policy of the function's log group. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Cap on concurrent callback invocations, a brake on link-guessing floods.
   * @default - unreserved (a reservation fails to deploy in accounts with a low concurrency quota)
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The approvers' endpoint: a Lambda function URL whose GET shows the request and changes
 * nothing, and whose POST records the decision once and completes the waiting task.
 * The URL is public on purpose (approvers follow an emailed link); every request must
 * carry a valid HMAC signature, checked before anything is read.
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

  constructor(scope: Construct, id: string, props: ApprovalCallbackApiProps) {
    super(scope, id);
    const synchronous = 'invoked synchronously through its function URL (RequestResponse), so there are no asynchronous failures to dead-letter';
    const handler = libraryHandler(this, 'Handler', {
      handlerName: 'approval-callback',
      description: 'Approval callback: review page (GET) and one-time decision (POST) for a human-approval workflow',
      timeout: Duration.seconds(15),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        APPROVAL_SETTINGS: Stack.of(this).toJsonString({
          tableName: props.decisionTable.tableName,
          keySecretName: props.linkSigningKeyName,
          workflowName: props.workflowName,
        }),
      },
      nagAcknowledgements: [
        { id: 'Serverless-LambdaDLQ', reason: `The approval callback is ${synchronous}.` },
        { id: 'Serverless-LambdaAsyncFailureDestination', reason: `The approval callback is ${synchronous}.` },
      ],
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;

    grantDecisionTableAccess(handler.role, props.decisionTable, props.decisionTableKey);
    grantLinkKeyRead(handler.role, props.linkSigningKey, props.linkSigningKeyName);
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resources: ['*'],
    }));

    this.functionUrl = handler.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.url = this.functionUrl.url;
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
 * The item operations the approval handlers use - no scans, deletes or batch writes - and
 * the exact KMS actions DynamoDB needs on the table's key.
 */
export function grantDecisionTableAccess(role: iam.IRole, table: dynamodb.ITable, key?: kms.IKey): void {
  table.grant(role, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
  key?.grant(role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
}
