import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createEncryptionKey, createLogGroup, defaultFunctionProps } from './defaults';
import { HandlerFunctionProps } from './handler-function-props';
import { acknowledgeNagFindings, NagAcknowledgement } from './nag';

const PINNED_RUNTIME_REASON =
  'The runtime is pinned to nodejs22.x on purpose: the handler is bundled for Node 22 (esbuild target node22) and tested on Node 22; ' +
  'nodejs22.x is supported until 2027-04-30, and moving to a newer runtime is a deliberate, tested change of the library.';
const RUNTIME_ACKNOWLEDGEMENTS: NagAcknowledgement[] = [
  { id: 'AwsSolutions-L1', reason: PINNED_RUNTIME_REASON },
  { id: 'Serverless-LambdaLatestVersion', reason: PINNED_RUNTIME_REASON },
];

/**
 * A Lambda function with the library's defaults, for the library's handlers and for your
 * own code: explicit runtime (Node.js 22) and architecture (ARM64), active tracing, JSON
 * logs into its own finite-retention log group encrypted with a customer-managed key
 * (`encryptionKey`, or a new one), source maps, and an execution role
 * without AWS managed policies that may write to that log group only (a default Lambda
 * role may write to every log group). The cdk-nag findings these defaults cause by design
 * (the pinned runtime, X-Ray's `*` resource) are acknowledged in the resources' metadata;
 * how the function is invoked (dead-letter queue, failure destination) is yours to
 * acknowledge, e.g. with cdk-nag's `NagSuppressions.addResourceSuppressions(fn.function, ...)`.
 *
 * @example
 * import { HandlerFunction } from 'cdk-service-integration';
 *
 * const orders = new HandlerFunction(this, 'Orders', {
 *   code: lambda.Code.fromAsset('dist/orders'),
 *   description: 'Places orders',
 * });
 * table.grantReadWriteData(orders.function);
 */
export class HandlerFunction extends Construct {
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** Its execution role: its own log group, X-Ray, and what you grant. */
  public readonly role: iam.Role;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The key encrypting the log group: `encryptionKey`, or the one the function created. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'LogKey', {
      description: `Encrypts the log group of the function ${this.node.path}`,
      removalPolicy: props.removalPolicy,
    });
    this.logGroup = createLogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey, retention: props.logRetention, removalPolicy: props.removalPolicy,
    });
    const owner = props.codeName ? ` of ${props.codeName}` : '';
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role${owner}: ${props.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    const defaults = defaultFunctionProps(this.logGroup);
    this.function = new lambda.Function(this, 'Function', {
      ...defaults,
      code: props.code,
      handler: props.handler ?? 'index.handler',
      description: props.description,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      environment: { ...defaults.environment, ...props.environment },
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.securityGroups,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    });

    const roleAcknowledgements: NagAcknowledgement[] = [{
      id: 'AwsSolutions-IAM5',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) do not support resource-level permissions.',
      appliesTo: ['Resource::*'],
    }];
    if (props.vpc) {
      roleAcknowledgements.push({
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaVPCAccessExecutionRole is the AWS-maintained minimal policy for the network interfaces Lambda manages in a VPC.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
      });
    }
    acknowledgeNagFindings(this.role, roleAcknowledgements);
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy) acknowledgeNagFindings(policy, roleAcknowledgements);
    acknowledgeNagFindings(this.function, RUNTIME_ACKNOWLEDGEMENTS);
  }
}
