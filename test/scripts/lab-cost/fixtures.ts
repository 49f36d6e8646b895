// Small hand-written CloudFormation fragments for the lab-cost tests. They mirror what CDK
// synthesizes (references by Ref / Fn::GetAtt, numbers as strings) so the estimator reads them
// the way it reads cdk.out.
import { CfnResource } from '../../../scripts/lab-cost/template';

export type Resources = Record<string, CfnResource>;

export interface FargateServiceOptions {
  readonly arch?: 'ARM64' | 'X86_64';
  /** CPU units, e.g. '1024'. */
  readonly cpu?: string;
  /** MiB, e.g. '2048'. */
  readonly memory?: string;
  readonly strategy?: Array<{ CapacityProvider: string; Base?: number; Weight?: number }>;
  readonly desiredCount?: unknown;
  readonly scaling?: { min: number; max: number };
  readonly assignPublicIp?: boolean;
}

/** A cluster, a task definition, a Fargate service and (optionally) its scalable target, named `<id>*`. */
export function fargateService(id: string, options: FargateServiceOptions = {}): Resources {
  const resources: Resources = {
    [`${id}Cluster`]: { Type: 'AWS::ECS::Cluster', Properties: {} },
    [`${id}TaskDefinition`]: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Cpu: options.cpu ?? '1024',
        Memory: options.memory ?? '2048',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: options.arch ?? 'X86_64', OperatingSystemFamily: 'LINUX' },
      },
    },
    [`${id}Service`]: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Cluster: { Ref: `${id}Cluster` },
        TaskDefinition: { Ref: `${id}TaskDefinition` },
        CapacityProviderStrategy: options.strategy ?? [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }],
        ...(options.desiredCount === undefined ? {} : { DesiredCount: options.desiredCount }),
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: options.assignPublicIp ? 'ENABLED' : 'DISABLED', Subnets: ['subnet-a', 'subnet-b'] } },
      },
    },
  };
  if (options.scaling) {
    resources[`${id}TaskCount`] = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        MinCapacity: options.scaling.min,
        MaxCapacity: options.scaling.max,
        ResourceId: { 'Fn::Join': ['', ['service/', { Ref: `${id}Cluster` }, '/', { 'Fn::GetAtt': [`${id}Service`, 'Name'] }]] },
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
      },
    };
  }
  return resources;
}

/** A NAT gateway with its Elastic IP. */
export function natGateway(): Resources {
  return {
    NatEip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: { AllocationId: { 'Fn::GetAtt': ['NatEip', 'AllocationId'] }, SubnetId: { Ref: 'PublicA' } } },
  };
}

/** An internet-facing ALB in two public subnets. */
export function internetFacingAlb(): Resources {
  return {
    Alb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'application', Subnets: [{ Ref: 'PublicA' }, { Ref: 'PublicB' }] },
    },
    AlbListener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Alb' }, Port: 80 } },
  };
}
