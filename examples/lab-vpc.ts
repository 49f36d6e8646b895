import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** How a lab's network reaches the internet. */
export interface LabVpcOptions {
  /**
   * Whether the lab needs the internet (image pulls, public AWS endpoints, a public ALB):
   * public subnets with one NAT gateway and private subnets behind it. Without it the VPC
   * has isolated subnets only and no NAT gateway (the lab reaches AWS APIs through
   * interface endpoints).
   * @default true
   */
  readonly internet?: boolean;
  /**
   * The key encrypting the flow-log group; whoever owns the key lets CloudWatch Logs use it
   * (the library's constructs do that for the key they are given).
   */
  readonly flowLogKey: kms.IKey;
}

/**
 * The network a lab runs in: 2 AZs and flow logs kept a week. With internet access, one
 * NAT gateway (a second one, for per-AZ resilience, would double the lab's largest fixed
 * cost); the public subnets hold only the ALB and the NAT gateway, which has its own
 * Elastic IP, so they assign no public IPs. Construct ids (`Vpc`, `VpcFlowLogs`) are the scope's.
 */
export function createLabVpc(scope: Construct, options: LabVpcOptions): ec2.Vpc {
  const vpc = options.internet ?? true
    ? new ec2.Vpc(scope, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
    })
    : new ec2.Vpc(scope, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
  const flowLogs = new logs.LogGroup(scope, 'VpcFlowLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY, encryptionKey: options.flowLogKey });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  return vpc;
}
