import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { acknowledgeNagFindings } from '../../src/core/nag';
import { MeshedFargateService, MeshedFargateServiceProps, ServiceMesh, ServiceMeshProps } from '../../src/mesh';

// The stack, VPC and mesh the MeshedFargateService tests build services in.

export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
export const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555';

export interface Fixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly mesh: ServiceMesh;
}

export function fixture(meshProps: Partial<ServiceMeshProps> = {}, stackProps: StackProps = {}): Fixture {
  const stack = new Stack(new App(), 'Stack', stackProps);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  acknowledgeNagFindings(vpc, [{ id: 'AwsSolutions-VPC7', reason: 'Test fixture VPC: flow logs belong to whoever owns the VPC, not to the mesh.' }]);
  const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'shop.local', ...meshProps });
  return { stack, vpc, mesh };
}

export function serviceProps(mesh: ServiceMesh, extra: Partial<MeshedFargateServiceProps> = {}): MeshedFargateServiceProps {
  return {
    mesh,
    serviceName: 'orders',
    image: IMAGE,
    port: 8080,
    healthCheck: { path: '/health' },
    autoscaling: { minCapacity: 2, maxCapacity: 10, cpuTarget: 60 },
    ...extra,
  };
}

export function build(extra: Partial<MeshedFargateServiceProps> = {}, meshProps: Partial<ServiceMeshProps> = {}, stackProps: StackProps = {}) {
  const f = fixture(meshProps, stackProps);
  const service = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, extra));
  return { ...f, service, template: Template.fromStack(f.stack) };
}

export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

export function invalid(extra: Partial<MeshedFargateServiceProps>, stackProps: StackProps = {}): string {
  const f = fixture({}, stackProps);
  return errorOf(() => new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, extra)));
}
