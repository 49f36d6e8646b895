import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** Properties of an {@link ApprovalCallbackApi}. */
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
  /**
   * How long the log groups the construct creates keep their events.
   * @default - one month (`logs.RetentionDays.ONE_MONTH`)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The key that encrypts the function's log group (the workflow passes its own).
   * @default - a new customer-managed key for this log group
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the function's log group when it leaves the stack.
   * @default - kept: a database instance is snapshotted, everything else is retained
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Cap on concurrent callback invocations, a brake on link-guessing floods.
   * @default - unreserved (a reservation fails to deploy in accounts with a low concurrency quota)
   */
  readonly reservedConcurrentExecutions?: number;
}

