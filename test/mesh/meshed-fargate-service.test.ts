import { App, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { acknowledgeNagFindings } from '../../src/core/nag';
import { Deployment, MeshedFargateService, MeshedFargateServiceProps, MeshTls, ServiceMesh, ServiceMeshProps } from '../../src/mesh';
import { keyArnOf, logGroupKeys } from '../helpers/encryption';
import { unacknowledgedNagFindings } from '../helpers/nag';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27-alpine');
const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555';

interface Fixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly mesh: ServiceMesh;
}

function fixture(meshProps: Partial<ServiceMeshProps> = {}, stackProps: StackProps = {}): Fixture {
  const stack = new Stack(new App(), 'Stack', stackProps);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  acknowledgeNagFindings(vpc, [{ id: 'AwsSolutions-VPC7', reason: 'Test fixture VPC: flow logs belong to whoever owns the VPC, not to the mesh.' }]);
  const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'shop.local', ...meshProps });
  return { stack, vpc, mesh };
}

function serviceProps(mesh: ServiceMesh, extra: Partial<MeshedFargateServiceProps> = {}): MeshedFargateServiceProps {
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

function build(extra: Partial<MeshedFargateServiceProps> = {}, meshProps: Partial<ServiceMeshProps> = {}, stackProps: StackProps = {}) {
  const f = fixture(meshProps, stackProps);
  const service = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, extra));
  return { ...f, service, template: Template.fromStack(f.stack) };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

function invalid(extra: Partial<MeshedFargateServiceProps>, stackProps: StackProps = {}): string {
  const f = fixture({}, stackProps);
  return errorOf(() => new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, extra)));
}

describe('ServiceMesh', () => {
  test('creates a cluster with enhanced Container Insights and the FARGATE and FARGATE_SPOT providers', () => {
    const { stack } = fixture();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
    });
  });

  test('uses a Cloud Map HTTP namespace as the Service Connect default', () => {
    const { stack, mesh } = fixture();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'shop.local' });
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ServiceConnectDefaults: { Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('Namespace'), 'Arn'] } },
    });
    expect(mesh.namespace.namespaceName).toBe('shop.local');
    expect(mesh.cluster).toBeDefined();
  });

  test('logs ECS Exec sessions to a finite-retention log group', () => {
    const { stack } = fixture();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: { ExecuteCommandConfiguration: { Logging: 'OVERRIDE', LogConfiguration: { CloudWatchLogGroupName: Match.anyValue() } } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('one mesh key, new by default, encrypts the ECS Exec log group and every service\'s log group', () => {
    const { stack, mesh, template } = build();
    template.resourceCountIs('AWS::KMS::Key', 1);
    const keys = logGroupKeys(template);
    expect(Object.keys(keys)).toHaveLength(2);
    for (const key of Object.values(keys)) expect(key).toEqual(keyArnOf(stack, mesh.encryptionKey));
  });

  test('a mesh given encryptionKey uses it for its log groups and creates no key', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'shop.local', encryptionKey: key });
    new MeshedFargateService(stack, 'Orders', serviceProps(mesh));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    for (const logKey of Object.values(logGroupKeys(template))) expect(logKey).toEqual(keyArnOf(stack, key));
  });

  test('the Container Insights level can be chosen', () => {
    const { stack } = fixture({ containerInsights: ecs.ContainerInsights.ENABLED });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('Private CA TLS creates the ECS infrastructure role and every service uses it', () => {
    const { template } = build({}, { tls: MeshTls.privateCa({ certificateAuthorityArn: PCA_ARN }) });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] },
      ManagedPolicyArns: [{
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity']],
      }],
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Services: [Match.objectLike({
          Tls: { IssuerCertificateAuthority: { AwsPcaAuthorityArn: PCA_ARN }, RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TlsInfrastructureRole'), 'Arn'] } },
        })],
      },
    });
  });

  test('Private CA TLS uses the role and KMS key the caller passes instead of creating a role', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111122223333:role/ecs-tls');
    const kmsKey = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'shop.local', tls: MeshTls.privateCa({ certificateAuthorityArn: PCA_ARN, role, kmsKey }) });
    new MeshedFargateService(stack, 'Orders', serviceProps(mesh));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2); // task role + execution role only
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Services: [Match.objectLike({ Tls: Match.objectLike({ RoleArn: 'arn:aws:iam::111122223333:role/ecs-tls', KmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/1234' }) })],
      },
    });
  });

  test('rejects a namespace name that is not a DNS name', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    expect(errorOf(() => new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'Shop_Local' })))
      .toMatch(/ServiceMesh at 'Stack\/Mesh'.*\n.*namespaceName must be a lowercase DNS name.*got 'Shop_Local'/);
  });
});

describe('MeshedFargateService: Service Connect', () => {
  test('names the port mapping after the service and declares the HTTP app protocol', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Name: 'app',
        PortMappings: [{ Name: 'orders', ContainerPort: 8080, Protocol: 'tcp', AppProtocol: 'http' }],
      })],
    });
  });

  test('registers the client alias http://orders:8080 in the mesh namespace', () => {
    const { template, service } = build();
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('Namespace'), 'Arn'] },
        Services: [{ PortName: 'orders', DiscoveryName: 'orders', ClientAliases: [{ DnsName: 'orders', Port: 8080 }] }],
      },
    });
    expect(service.endpoint).toBe('http://orders:8080');
  });

  test('writes JSON access logs of the proxy by default and none when the mesh turns them off', () => {
    build().template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        AccessLogConfiguration: { Format: 'JSON', IncludeQueryParameters: 'DISABLED' },
        LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-stream-prefix': 'service-connect' }) },
      },
    });
    build({}, { accessLogs: false }).template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: { AccessLogConfiguration: Match.absent() },
    });
  });

  test('passes the per-request timeout to the proxy', () => {
    build({ perRequestTimeout: Duration.seconds(30) }).template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: { Services: [Match.objectLike({ Timeout: { PerRequestTimeoutSeconds: 30 } })] },
    });
  });

  test('emits no AWS::AppMesh resource anywhere', () => {
    const { stack, mesh } = fixture({ tls: MeshTls.privateCa({ certificateAuthorityArn: PCA_ARN }) });
    const orders = new MeshedFargateService(stack, 'Orders', serviceProps(mesh, { publicLoadBalancer: true, deployment: Deployment.canary() }));
    orders.connectTo(new MeshedFargateService(stack, 'Inventory', serviceProps(mesh, { serviceName: 'inventory' })));
    const types = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::AppMesh::'))).toEqual([]);
    expect(types).toContain('AWS::ECS::Service');
  });
});

describe('MeshedFargateService: connectTo', () => {
  function pair() {
    const f = fixture();
    const orders = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh));
    const inventory = new MeshedFargateService(f.stack, 'Inventory', serviceProps(f.mesh, { serviceName: 'inventory', port: 9090 }));
    return { ...f, orders, inventory };
  }

  test('opens exactly the callee port from the caller security group', () => {
    const { stack, orders, inventory } = pair();
    orders.connectTo(inventory);
    const groupId = (svc: MeshedFargateService) => ({ 'Fn::GetAtt': [stack.getLogicalId(svc.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] });
    const rules = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress');
    expect(Object.values(rules).map((r) => r.Properties)).toEqual([{
      IpProtocol: 'tcp',
      FromPort: 9090,
      ToPort: 9090,
      GroupId: groupId(inventory),
      SourceSecurityGroupId: groupId(orders),
      Description: 'orders calls inventory through Service Connect',
    }]);
  });

  test('makes the caller deploy after the callee', () => {
    const { stack, orders, inventory } = pair();
    orders.connectTo(inventory);
    const template = Template.fromStack(stack).toJSON();
    const callerId = stack.getLogicalId(orders.service.node.defaultChild as ecs.CfnService);
    const calleeId = stack.getLogicalId(inventory.service.node.defaultChild as ecs.CfnService);
    expect(template.Resources[callerId].DependsOn).toContain(calleeId);
  });

  test('two services may call each other without a dependency cycle', () => {
    const { stack, orders, inventory } = pair();
    orders.connectTo(inventory);
    inventory.connectTo(orders);
    expect(() => Template.fromStack(stack)).not.toThrow();
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress'))).toHaveLength(2);
  });

  test('refuses to connect services of two different meshes', () => {
    const f = fixture();
    const otherMesh = new ServiceMesh(f.stack, 'OtherMesh', { vpc: f.vpc, namespaceName: 'other.local' });
    const orders = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh));
    const billing = new MeshedFargateService(f.stack, 'Billing', serviceProps(otherMesh, { serviceName: 'billing' }));
    expect(errorOf(() => orders.connectTo(billing)))
      .toMatch(/other must be in the same ServiceMesh \('Stack\/Mesh'\); it is in 'Stack\/OtherMesh', got 'billing'/);
  });

  test('refuses to connect a service to itself', () => {
    const { orders } = pair();
    expect(errorOf(() => orders.connectTo(orders))).toMatch(/other must be another service/);
  });
});

describe('MeshedFargateService: task and service defaults', () => {
  test('runs in private subnets without a public IP', () => {
    build().template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: [{ Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('VpcPrivateSubnet2') }],
        },
      },
    });
  });

  test('tasks can be placed in other subnets', () => {
    build({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }).template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: [{ Ref: Match.stringLikeRegexp('VpcPublicSubnet1') }, Match.anyValue()] }) },
    });
  });

  test('never emits a desiredCount and scales between min and max instead', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent() });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount',
    });
  });

  test('rolls back failed deployments with the circuit breaker and keeps 100 % healthy', () => {
    build().template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        Strategy: 'ROLLING',
      }),
    });
  });

  test('checks container health on the health-check path', () => {
    build().template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        HealthCheck: {
          Command: ['CMD-SHELL', Match.stringLikeRegexp('curl -fsS http://localhost:8080/health .*wget -q -O /dev/null http://localhost:8080/health')],
          Interval: 15,
          Timeout: 5,
          Retries: 3,
          StartPeriod: 30,
        },
      })],
    });
  });

  test('a custom health-check command replaces the default', () => {
    build({ healthCheck: { path: '/health', command: ['CMD', '/bin/healthcheck'] } }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.objectLike({ Command: ['CMD', '/bin/healthcheck'] }) })],
    });
  });

  test('leaves task memory for the Service Connect proxy', () => {
    build().template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [Match.objectLike({ MemoryReservation: 960, Memory: Match.absent() })],
    });
  });

  test('logs the application to a finite-retention log group', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-stream-prefix': 'app' }) } })],
    });
    expect(Object.values(template.findResources('AWS::Logs::LogGroup')).every((r) => r.Properties.RetentionInDays === 30)).toBe(true);
  });

  test('the execution role may only write its own log group; the task role has no statements', () => {
    const { template, stack, service } = build();
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    const executionRole = service.taskDefinition.executionRole!.node.defaultChild as iam.CfnRole;
    expect(policies[0].Properties.Roles).toEqual([{ Ref: stack.getLogicalId(executionRole) }]);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(service.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] },
    }]);
  });

  test('ECS Exec is off by default and on when asked', () => {
    build().template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: false });
    const { template } = build({ enableExecuteCommand: true });
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel']) })]) },
    });
  });

  test('the OpenTelemetry collector sidecar gets its headroom, the app the OTLP endpoint', () => {
    const { template, service } = build({ openTelemetry: true });
    expect(service.collectorContainer).toBeDefined();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'app',
          MemoryReservation: 1024 - 64 - 256,
          Environment: Match.arrayWith([{ Name: 'OTEL_SERVICE_NAME', Value: 'orders' }, { Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://localhost:4317' }]),
        }),
        Match.objectLike({
          Name: 'otel-collector',
          Essential: false,
          Image: Match.stringLikeRegexp('^public.ecr.aws/aws-observability/aws-otel-collector:v'),
          Command: ['--config=/etc/ecs/ecs-default-config.yaml'],
        }),
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments']), Resource: '*' })]) },
    });
  });
});

describe('MeshedFargateService: capacity and autoscaling', () => {
  test('places everything on on-demand FARGATE by default', () => {
    build().template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }],
      LaunchType: Match.absent(),
    });
  });

  test('mixes in FARGATE_SPOT with an on-demand base', () => {
    build({ capacity: { spotWeight: 3, onDemandBase: 2 } }).template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [
        { CapacityProvider: 'FARGATE', Base: 2, Weight: 0 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
      ],
    });
  });

  test('tracks CPU, memory, ALB requests per target and a custom metric', () => {
    const metric = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'QueueDepthPerTask', dimensionsMap: { queue: 'orders' }, statistic: 'Average' });
    const { template } = build({
      publicLoadBalancer: true,
      autoscaling: { minCapacity: 1, maxCapacity: 6, cpuTarget: 55, memoryTarget: 70, requestsPerTarget: 400, customMetric: { metric, target: 25 } },
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 4);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 55,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 400, PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 25,
        CustomizedMetricSpecification: Match.objectLike({ Namespace: 'Shop', MetricName: 'QueueDepthPerTask', Dimensions: [{ Name: 'queue', Value: 'orders' }] }),
      }),
    });
  });
});

describe('MeshedFargateService: deployments', () => {
  test('a canary shifts the given percent, bakes, and routes test traffic by header', () => {
    build({ deployment: Deployment.canary({ percent: 10, bake: Duration.minutes(5), postShiftBake: Duration.minutes(15) }) })
      .template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          Strategy: 'CANARY',
          CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
          BakeTimeInMinutes: 15,
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        }),
        ServiceConnectConfiguration: {
          Services: [Match.objectLike({ ClientAliases: [{ DnsName: 'orders', Port: 8080, TestTrafficRules: { Header: { Name: 'x-amzn-ecs-blue-green-test' } } }] })],
        },
      });
  });

  test('a linear deployment shifts in steps', () => {
    build({ deployment: Deployment.linear({ percent: 20, stepBake: Duration.minutes(3) }) }).template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 3 } }),
    });
  });

  test('blue/green bakes and routes a custom test header with an exact value', () => {
    build({ deployment: Deployment.blueGreen({ bake: Duration.minutes(10), testTrafficHeader: { name: 'x-green', value: 'yes' } }) })
      .template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 10 }),
        ServiceConnectConfiguration: {
          Services: [Match.objectLike({ ClientAliases: [Match.objectLike({ TestTrafficRules: { Header: { Name: 'x-green', Value: { Exact: 'yes' } } } })] })],
        },
      });
  });

  test('a rolling deployment has no test-traffic rule', () => {
    build({ deployment: Deployment.rolling() }).template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: { Services: [Match.objectLike({ ClientAliases: [{ DnsName: 'orders', Port: 8080 }] })] },
    });
  });

  test('behind the ALB a canary gets a listener rule over a blue and a green target group', () => {
    const { template, service } = build({ publicLoadBalancer: true, deployment: Deployment.canary() });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 1,
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [Match.objectLike({ Weight: 100 }), Match.objectLike({ Weight: 0 })] } }],
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{
        ContainerName: 'app',
        ContainerPort: 8080,
        TargetGroupArn: Match.anyValue(),
        AdvancedConfiguration: { AlternateTargetGroupArn: Match.anyValue(), ProductionListenerRule: Match.anyValue(), RoleArn: Match.anyValue() },
      }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers']] }],
    });
    expect(service.alternateTargetGroup).toBeDefined();
  });

  test('the memory and 5XX alarms roll deployments back by their fixed names', () => {
    const { template, service, stack } = build({ publicLoadBalancer: true });
    const names = [service.memoryAlarm, service.serverErrorAlarm!].map((a) => stack.resolve((a.node.defaultChild as cloudwatch.CfnAlarm).alarmName));
    expect(names.every((n) => typeof n === 'string')).toBe(true);
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Alarms: { AlarmNames: names, Enable: true, Rollback: true } }),
    });
  });

  test('further rollback alarms are added to the deployment alarms', () => {
    const f = fixture();
    const extra = cloudwatch.Alarm.fromAlarmName(f.stack, 'Latency', 'orders-latency');
    new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, { rollbackAlarms: [extra] }));
    Template.fromStack(f.stack).hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Alarms: Match.objectLike({ AlarmNames: [Match.stringLikeRegexp('-memory$'), 'orders-latency'] }) }),
    });
  });
});

describe('MeshedFargateService: load balancer', () => {
  test('has no load balancer unless asked', () => {
    const { template, service } = build();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    expect(service.loadBalancer).toBeUndefined();
    expect(service.targetGroup).toBeUndefined();
  });

  test('the public ALB drops invalid headers and is deletion-protected by default', () => {
    const { template } = build({ publicLoadBalancer: true });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });

  test('labs with removalPolicy DESTROY get an ALB without deletion protection', () => {
    build({ publicLoadBalancer: true }, { removalPolicy: RemovalPolicy.DESTROY }).template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
  });

  test('the target group health check uses the health-check path', () => {
    build({ publicLoadBalancer: true, healthCheck: { path: '/ready', healthyHttpCodes: '200' } }).template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/ready', Matcher: { HttpCode: '200' }, TargetType: 'ip', Port: 8080, HealthCheckIntervalSeconds: 15,
    });
  });

  test('a certificate gives an HTTPS listener and an HTTP redirect', () => {
    const f = fixture();
    const certificate = acm.Certificate.fromCertificateArn(f.stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
    new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, { publicLoadBalancer: true, certificate }));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' }] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
    });
  });

  test('access logs go to an SSE-S3, TLS-only bucket when the region is known', () => {
    const { template, service } = build({ publicLoadBalancer: true }, {}, { env: { account: '111122223333', region: 'eu-west-1' } });
    expect(service.accessLogsBucket).toBeDefined();
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
  });

  test('access logs can go to an existing bucket', () => {
    const f = fixture({}, { env: { account: '111122223333', region: 'eu-west-1' } });
    const bucket = s3.Bucket.fromBucketName(f.stack, 'Logs', 'central-alb-logs');
    const service = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, { publicLoadBalancer: true, loadBalancerAccessLogsBucket: bucket }));
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(service.accessLogsBucket).toBe(bucket);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.bucket', Value: 'central-alb-logs' }]),
    });
  });

  test('env-agnostic stacks get no access logs by default', () => {
    const { template, service } = build({ publicLoadBalancer: true });
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(service.accessLogsBucket).toBeUndefined();
  });
});

describe('MeshedFargateService: alarms', () => {
  test('alarms on CPU, memory and running tasks without an ALB', () => {
    const { template, service } = build();
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    expect(service.alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Threshold: 90 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MemoryUtilization', Namespace: 'AWS/ECS', Threshold: 90 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunningTaskCount',
      Namespace: 'ECS/ContainerInsights',
      Threshold: 2,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('alarms on the 5XX share at the ALB when there is one', () => {
    const { template, service } = build({ publicLoadBalancer: true });
    expect(service.alarms).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      Metrics: Match.arrayWith([
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }) }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'HTTPCode_ELB_5XX_Count' }) }) }),
      ]),
    });
  });

  test('a service allowed to scale to zero has no running-task alarm', () => {
    const { service } = build({ autoscaling: { minCapacity: 0, maxCapacity: 2, cpuTarget: 50 } });
    expect(service.runningTasksAlarm).toBeUndefined();
    expect(service.alarms).toHaveLength(2);
  });

  test('alarms notify the mesh topic, and addAlarmAction wires every alarm', () => {
    const f = fixture();
    const topic = new sns.Topic(f.stack, 'Alarms');
    const mesh = new ServiceMesh(f.stack, 'Mesh2', { vpc: f.vpc, namespaceName: 'two.local', alarmTopic: topic });
    const service = new MeshedFargateService(f.stack, 'Orders', serviceProps(mesh));
    const pager = new sns.Topic(f.stack, 'Pager');
    service.addAlarmAction(new cloudwatchActions.SnsAction(pager));
    const alarms = Object.values(Template.fromStack(f.stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      const ref = (t: sns.Topic) => ({ Ref: f.stack.getLogicalId(t.node.defaultChild as sns.CfnTopic) });
      expect(alarm.Properties.AlarmActions).toEqual([ref(topic), ref(pager)]);
      expect(alarm.Properties.OKActions).toHaveLength(2);
    }
  });
});

describe('MeshedFargateService: validation', () => {
  test.each([
    ['a port outside 1..65535', { port: 70000 }, /port must be an integer between 1 and 65535, got 70000/],
    ['a service name that is not a DNS label', { serviceName: 'Orders_API' }, /serviceName must be a DNS label.*got 'Orders_API'/],
    ['a CPU/memory combination Fargate does not offer', { cpu: 256, memoryLimitMiB: 4096 },
      /cpu\/memoryLimitMiB must be a task size Fargate offers \(memory 512, 1024 or 2048 MiB for 256 CPU units\), got '256 CPU \/ 4096 MiB'/],
    ['an unknown CPU size', { cpu: 300 }, /cpu\/memoryLimitMiB must be a task size Fargate offers \(cpu one of 256, 512/],
    ['minCapacity above maxCapacity', { autoscaling: { minCapacity: 5, maxCapacity: 2, cpuTarget: 50 } },
      /autoscaling.minCapacity must not exceed maxCapacity \(2\), got 5/],
    ['a CPU target outside 1..100', { autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 120 } },
      /autoscaling.cpuTarget must be between 1 and 100, got 120/],
    ['a memory target outside 1..100', { autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 50, memoryTarget: 0 } },
      /autoscaling.memoryTarget must be between 1 and 100, got 0/],
    ['requests per target without a load balancer', { autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 50, requestsPerTarget: 100 } },
      /autoscaling.requestsPerTarget needs publicLoadBalancer: true/],
    ['FARGATE_SPOT with ARM64', { cpuArchitecture: ecs.CpuArchitecture.ARM64, capacity: { spotWeight: 1 } },
      /capacity.spotWeight must be 0 with cpuArchitecture ARM64 \(FARGATE_SPOT runs X86_64 only\), got 1/],
    ['capacity weights that are all zero', { capacity: { spotWeight: 0, onDemandWeight: 0 } },
      /capacity must give FARGATE or FARGATE_SPOT a weight above 0/],
    ['a canary percent below the ECS minimum', { deployment: Deployment.canary({ percent: 0.05 }) },
      /deployment.percent must be between 0.1 and 100 in steps of 0.1 for a canary \(ECS limit\), got 0.05/],
    ['a canary percent above 100', { deployment: Deployment.canary({ percent: 150 }) }, /deployment.percent must be between 0.1 and 100/],
    ['a linear percent below 3', { deployment: Deployment.linear({ percent: 2 }) }, /deployment.percent must be between 3 and 100 in steps of 0.1/],
    ['a canary bake beyond 24 hours', { deployment: Deployment.canary({ bake: Duration.hours(25) }) },
      /deployment.bake must be whole minutes between 0 and 1440 \(ECS limit\), got 1 day 1 hour/],
    ['a health-check path without a leading slash', { healthCheck: { path: 'health' } }, /healthCheck.path must be an absolute path/],
    ['a task too small for the proxy and the collector', { cpu: 256, memoryLimitMiB: 512, openTelemetry: true },
      /memoryLimitMiB must leave at least 256 MiB for the application after the Service Connect proxy \(64 MiB\) and the collector \(256 MiB\), got 512/],
  ] as Array<[string, Partial<MeshedFargateServiceProps>, RegExp]>)('rejects %s', (_name, extra, message) => {
    expect(invalid(extra)).toMatch(message);
  });

  test('rejects access logs in an env-agnostic stack with a clear reason', () => {
    expect(invalid({ publicLoadBalancer: true, loadBalancerAccessLogs: true }))
      .toMatch(/loadBalancerAccessLogs needs a stack with a concrete region/);
  });

  test('rejects an access-log bucket in an env-agnostic stack and without a load balancer', () => {
    const f = fixture();
    const bucket = s3.Bucket.fromBucketName(f.stack, 'Logs', 'central-alb-logs');
    const message = errorOf(() => new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, { loadBalancerAccessLogsBucket: bucket })));
    expect(message).toMatch(/loadBalancerAccessLogs needs publicLoadBalancer: true/);
    const f2 = fixture();
    const bucket2 = s3.Bucket.fromBucketName(f2.stack, 'Logs', 'central-alb-logs');
    expect(errorOf(() => new MeshedFargateService(f2.stack, 'Orders', serviceProps(f2.mesh, { publicLoadBalancer: true, loadBalancerAccessLogsBucket: bucket2 }))))
      .toMatch(/loadBalancerAccessLogs needs a stack with a concrete region/);
  });

  test('rejects a certificate without a public load balancer', () => {
    const f = fixture();
    const certificate = acm.Certificate.fromCertificateArn(f.stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
    expect(errorOf(() => new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, { certificate }))))
      .toMatch(/certificate needs publicLoadBalancer: true/);
  });

  test('reports every problem in one error naming the construct path', () => {
    const message = invalid({ port: 0, serviceName: '-bad', autoscaling: { minCapacity: 3, maxCapacity: 1, cpuTarget: 0 } });
    expect(message).toMatch(/^MeshedFargateService at 'Stack\/Orders' has invalid props \(4 problems\)/);
    expect(message).toMatch(/serviceName/);
    expect(message).toMatch(/port must be/);
    expect(message).toMatch(/minCapacity must not exceed/);
    expect(message).toMatch(/cpuTarget must be/);
  });

  test('accepts the valid edges of every range', () => {
    expect(() => build({
      port: 65535,
      serviceName: 'a',
      cpu: 16384,
      memoryLimitMiB: 122880,
      autoscaling: { minCapacity: 0, maxCapacity: 1, cpuTarget: 100, memoryTarget: 1 },
      deployment: Deployment.canary({ percent: 0.1, bake: Duration.minutes(1440) }),
    })).not.toThrow();
    expect(() => build({ deployment: Deployment.linear({ percent: 3 }) })).not.toThrow();
  });
});

describe('MeshedFargateService: cdk-nag', () => {
  test('a default mesh service is cdk-nag clean', () => {
    const { stack } = build();
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('a fully featured mesh is cdk-nag clean', () => {
    const f = fixture({ tls: MeshTls.privateCa({ certificateAuthorityArn: PCA_ARN }) }, { env: { account: '111122223333', region: 'eu-west-1' } });
    const certificate = acm.Certificate.fromCertificateArn(f.stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
    const orders = new MeshedFargateService(f.stack, 'Orders', serviceProps(f.mesh, {
      publicLoadBalancer: true,
      certificate,
      capacity: { spotWeight: 2, onDemandBase: 1 },
      deployment: Deployment.canary({ percent: 10, bake: Duration.minutes(5) }),
      openTelemetry: true,
      enableExecuteCommand: true,
      environment: { LOG_LEVEL: 'info' },
      autoscaling: { minCapacity: 2, maxCapacity: 10, cpuTarget: 60, requestsPerTarget: 500 },
    }));
    const inventory = new MeshedFargateService(f.stack, 'Inventory', serviceProps(f.mesh, { serviceName: 'inventory', deployment: Deployment.linear() }));
    orders.connectTo(inventory);
    expect(unacknowledgedNagFindings(f.stack)).toEqual([]);
  });
});
