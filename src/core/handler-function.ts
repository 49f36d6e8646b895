import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createLogGroup, defaultFunctionProps } from './defaults';
import { BUNDLED_HANDLER, bundledHandlerCode } from './handler-code';
import { acknowledgeNagFindings, NagAcknowledgement } from './nag';

const PINNED_RUNTIME_REASON =
  'The runtime is pinned to nodejs22.x on purpose: the handler is bundled for Node 22 (esbuild target node22) and tested on Node 22; ' +
  'nodejs22.x is supported until 2027-04-30, and moving to a newer runtime is a deliberate, tested change of the library.';
const RUNTIME_ACKNOWLEDGEMENTS: NagAcknowledgement[] = [
  { id: 'AwsSolutions-L1', reason: PINNED_RUNTIME_REASON },
  { id: 'Serverless-LambdaLatestVersion', reason: PINNED_RUNTIME_REASON },
];

/** Settings of a {@link HandlerFunction}. */
export interface HandlerFunctionProps {
  /** The bundled handler: its folder below `lambda-src/`. */
  readonly handlerName: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Added to the defaults (NODE_OPTIONS for source maps). @default - none */
  readonly environment?: Record<string, string>;
  /** @default DEFAULT_LOG_RETENTION */
  readonly logRetention?: logs.RetentionDays;
  /** Removal policy of the function's log group. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Attach the function to this VPC. @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** @default - private subnets with egress, else isolated */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default - a new security group with all outbound allowed */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** Acknowledgements for findings that are by design for this function. @default - none */
  readonly nagAcknowledgements?: NagAcknowledgement[];
}

/**
 * A library handler as a Lambda function with the library's defaults: the pre-bundled
 * code, explicit runtime and architecture, active tracing, JSON logs into its own
 * finite-retention log group, and a role that may write to that log group only (no AWS
 * managed policy, unlike a default Lambda role, which may write to every log group).
 */
export class HandlerFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);

    this.logGroup = createLogGroup(this, 'LogGroup', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.handlerName}: ${props.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    const defaults = defaultFunctionProps(this.logGroup);
    this.function = new lambda.Function(this, 'Function', {
      ...defaults,
      code: bundledHandlerCode(props.handlerName),
      handler: BUNDLED_HANDLER,
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
    acknowledgeNagFindings(this.function, [...RUNTIME_ACKNOWLEDGEMENTS, ...props.nagAcknowledgements ?? []]);
  }
}
