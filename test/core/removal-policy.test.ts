import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApiAuth, AuthorizedApi } from '../../src/api';
import { ProxiedDatabase } from '../../src/data';
import { MeshedFargateService, ServiceMesh } from '../../src/mesh';
import { FanoutTopic } from '../../src/messaging';
import { CircuitBreakerFunction, CircuitTarget } from '../../src/resilience';
import { ApprovalWorkflow } from '../../src/workflow';

// CloudFormation only snapshots a few resource types (RDS among them); a Snapshot deletion
// policy on anything else (keys, log groups, queues, tables, buckets) fails the deployment.
// Every construct must therefore turn `removalPolicy: SNAPSHOT` into "keep" where it cannot
// snapshot, and only the database instance may carry DeletionPolicy Snapshot.
const SNAPSHOT_CAPABLE = new Set(['AWS::RDS::DBInstance']);

function snapshotPolicies(build: (stack: Stack) => void): string[] {
  const stack = new Stack(new App(), 'Stack');
  build(stack);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>;
  return Object.entries(resources)
    .filter(([, r]) => r.DeletionPolicy === 'Snapshot' && !SNAPSHOT_CAPABLE.has(r.Type))
    .map(([id, r]) => `${id} (${r.Type})`);
}

const vpc = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const removalPolicy = RemovalPolicy.SNAPSHOT;

describe('removalPolicy SNAPSHOT', () => {
  test('FanoutTopic keeps its key, topic and queues instead of asking for snapshots', () => {
    expect(snapshotPolicies((s) => new FanoutTopic(s, 'Events', { removalPolicy }).addQueue('Inventory'))).toEqual([]);
  });

  test('CircuitBreakerFunction keeps its table and log group', () => {
    expect(snapshotPolicies((s) => new CircuitBreakerFunction(s, 'Breaker', { target: CircuitTarget.http('https://inventory.example.com'), removalPolicy }))).toEqual([]);
  });

  test('ApprovalWorkflow keeps its key, table, queue and log groups', () => {
    expect(snapshotPolicies((s) => new ApprovalWorkflow(s, 'Approval', {
      approvers: ['ops@example.com'],
      approvalTimeout: Duration.hours(1),
      onApproved: new sfn.Pass(s, 'ProcessPayment'),
      removalPolicy,
    }))).toEqual([]);
  });

  test('ServiceMesh and its services keep their log groups', () => {
    expect(snapshotPolicies((s) => {
      const mesh = new ServiceMesh(s, 'Mesh', { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 }), namespaceName: 'shop.local', removalPolicy });
      new MeshedFargateService(s, 'Orders', {
        mesh,
        serviceName: 'orders',
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27-alpine'),
        port: 8080,
        healthCheck: { path: '/health' },
        autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 60 },
      });
    })).toEqual([]);
  });

  test('AuthorizedApi keeps its log groups', () => {
    expect(snapshotPolicies((s) => {
      const api = new AuthorizedApi(s, 'Api', { auth: ApiAuth.jwt({ issuer: 'https://login.example.com', audience: ['orders'] }), removalPolicy });
      api.addRoute('GET', '/orders', new apigateway.MockIntegration(), { scopes: ['orders:read'] });
    })).toEqual([]);
  });

  test('ProxiedDatabase snapshots the instance and keeps everything else', () => {
    const stack = new Stack(new App(), 'Db');
    new ProxiedDatabase(stack, 'Orders', { vpc: vpc(stack), databaseName: 'orders', removalPolicy });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    expect(snapshotPolicies((s) => new ProxiedDatabase(s, 'Orders', { vpc: vpc(s), databaseName: 'orders', removalPolicy }))).toEqual([]);
  });
});
