import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/** Properties of a {@link HandlerFunction}. */
export interface HandlerFunctionProps {
  /** The function's code, e.g. `lambda.Code.fromAsset('dist/orders')` (bundled for Node.js 22, ARM64). */
  readonly code: lambda.Code;
  /**
   * The exported function Lambda calls, `<file>.<export>`.
   * @default 'index.handler'
   */
  readonly handler?: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /**
   * A short name of the code (e.g. its bundle folder), shown in the execution role's
   * description as `Execution role of <codeName>: <description>`.
   * @default - the role description is `Execution role: <description>`
   */
  readonly codeName?: string;
  /**
   * Memory of the function, in MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of the function.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Environment variables, added to `NODE_OPTIONS=--enable-source-maps`.
   * @default - only NODE_OPTIONS
   */
  readonly environment?: { [key: string]: string };
  /**
   * How long the log groups the construct creates keep their events.
   * @default - one month (`logs.RetentionDays.ONE_MONTH`)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the function's log group (and the key it creates) when they leave the stack.
   * @default - kept: a database instance is snapshotted, everything else is retained
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The KMS key that encrypts the function's log group. Pass one key to several functions
   * to share it (each key costs USD 1 a month); a key created in your app gets the
   * key-policy statement CloudWatch Logs needs, an imported key's policy must already
   * allow `logs.<region>.amazonaws.com`.
   * @default - a new customer-managed key with yearly rotation, for this function's log group only
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Attach the function to this VPC.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of the function (requires `vpc`).
   * @default - private subnets with egress, else isolated
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the function (requires `vpc`).
   * @default - a new security group with all outbound traffic allowed
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Concurrent executions reserved for (and capped at) this function.
   * @default - unreserved
   */
  readonly reservedConcurrentExecutions?: number;
}
