import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
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
   * What happens to the function's log group when it leaves the stack.
   * @default - kept: a database instance is snapshotted, everything else is retained
   */
  readonly removalPolicy?: RemovalPolicy;
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
