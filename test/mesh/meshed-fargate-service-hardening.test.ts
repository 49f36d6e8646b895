import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { build, fixture, invalid, serviceProps } from './mesh-fixture';
import { MeshedFargateService, ServiceMesh } from '../../src/mesh';
import { controlTowerFindings } from '../helpers/control-tower';
import { unacknowledgedNagFindings } from '../helpers/nag';

type ContainerDefinition = Record<string, any>;

function containers(template: Template): ContainerDefinition[] {
  const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  return taskDefinition.Properties.ContainerDefinitions;
}

function volumes(template: Template): unknown {
  const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  return taskDefinition.Properties.Volumes;
}

const ECS_CONTAINER_CONTROLS = ['CT.ECS.PR.3', 'CT.ECS.PR.6', 'CT.ECS.PR.7'];

describe('MeshedFargateService: hardened application container', () => {
  test('runs as an unprivileged user and group by default', () => {
    expect(containers(build().template)[0].User).toBe('1000:1000');
  });

  test('has a read-only root filesystem with a writable /tmp scratch volume by default', () => {
    const { template } = build();
    const [app] = containers(template);
    expect(app.ReadonlyRootFilesystem).toBe(true);
    expect(app.MountPoints).toEqual([{ ContainerPath: '/tmp', SourceVolume: 'scratch-tmp', ReadOnly: false }]);
    // A volume without a host path: an empty bind mount in the task's ephemeral storage.
    expect(volumes(template)).toEqual([{ Name: 'scratch-tmp' }]);
  });

  test('gets a hard memory limit of what the proxy and the collector leave', () => {
    expect(containers(build().template)[0]).toEqual(expect.objectContaining({ Memory: 1024 - 64 }));
    const withCollector = build({ memoryLimitMiB: 2048, openTelemetry: true }).template;
    expect(containers(withCollector)[0]).toEqual(expect.objectContaining({ Memory: 2048 - 64 - 256 }));
    expect(containers(build().template)[0].MemoryReservation).toBeUndefined();
  });

  test('user, root filesystem and scratch paths follow the props', () => {
    const { template } = build({ user: 'nginx:nginx', scratchPaths: ['/var/cache/nginx', '/tmp'] });
    const [app] = containers(template);
    expect(app.User).toBe('nginx:nginx');
    expect(app.MountPoints).toEqual([
      { ContainerPath: '/var/cache/nginx', SourceVolume: 'scratch-var-cache-nginx', ReadOnly: false },
      { ContainerPath: '/tmp', SourceVolume: 'scratch-tmp', ReadOnly: false },
    ]);
    expect(volumes(template)).toEqual([{ Name: 'scratch-var-cache-nginx' }, { Name: 'scratch-tmp' }]);
  });

  test('opting out of the read-only root filesystem drops the default scratch volume', () => {
    const { template } = build({ readonlyRootFilesystem: false });
    const [app] = containers(template);
    expect(app.ReadonlyRootFilesystem).toBe(false);
    expect(app.MountPoints).toBeUndefined();
    expect(volumes(template)).toBeUndefined();
  });

  test('ECS Exec keeps the root filesystem writable, since its agent writes there', () => {
    const [app] = containers(build({ enableExecuteCommand: true }).template);
    expect(app.ReadonlyRootFilesystem).toBe(false);
    expect(invalid({ enableExecuteCommand: true, readonlyRootFilesystem: true }))
      .toMatch(/readonlyRootFilesystem must be false with enableExecuteCommand: true \(the ECS Exec agent writes to the container's file system\), got true/);
  });

  test.each([
    ['a user with a space', { user: 'app user' }, /user must be a uid, uid:gid, user name or user:group .*got 'app user'/],
    ['a user with two groups', { user: '1000:1000:1000' }, /user must be a uid.*got '1000:1000:1000'/],
    ['a relative scratch path', { scratchPaths: ['tmp'] }, /scratchPaths must hold absolute directory paths below \/ .*got 'tmp'/],
    ['the root as scratch path', { scratchPaths: ['/'] }, /scratchPaths must hold absolute directory paths.*got '\/'/],
    ['a scratch path that climbs', { scratchPaths: ['/tmp/../etc'] }, /scratchPaths must hold absolute directory paths.*got '\/tmp\/..\/etc'/],
    ['a trailing slash', { scratchPaths: ['/tmp/'] }, /scratchPaths must hold absolute directory paths.*got '\/tmp\/'/],
    ['two paths with one volume name', { scratchPaths: ['/a-b', '/a/b'] }, /scratchPaths must name distinct directories \('\/a-b' and '\/a\/b' map to the same volume name\), got '\/a\/b'/],
  ] as const)('rejects %s', (_name, extra, message) => {
    expect(invalid(extra as never)).toMatch(message);
  });

  test('root stays possible as an explicit opt-out', () => {
    expect(containers(build({ user: 'root' }).template)[0].User).toBe('root');
  });

  test('a default service passes the Control Tower container controls (non-root, read-only root, memory limit)', () => {
    const { stack } = build();
    expect(controlTowerFindings(stack, ECS_CONTAINER_CONTROLS)).toEqual([]);
  });

  test('a service with the collector passes them too, for both containers', () => {
    const { stack } = build({ openTelemetry: true });
    expect(controlTowerFindings(stack, ECS_CONTAINER_CONTROLS)).toEqual([]);
  });

  test('the Control Tower check sees the root opt-out', () => {
    const { stack } = build({ user: 'root', readonlyRootFilesystem: false });
    expect(controlTowerFindings(stack, ECS_CONTAINER_CONTROLS)).toEqual([
      expect.stringMatching(/^CT\.ECS\.PR\.3 OrdersTaskDefinition/),
      expect.stringMatching(/^CT\.ECS\.PR\.6 OrdersTaskDefinition/),
    ]);
  });
});

describe('MeshedFargateService: OpenTelemetry collector sidecar', () => {
  test('runs as nobody with a read-only root filesystem, a hard memory limit and a health check', () => {
    const collector = containers(build({ openTelemetry: true }).template)[1];
    expect(collector).toEqual(expect.objectContaining({
      Name: 'otel-collector',
      User: '65534:65534',
      ReadonlyRootFilesystem: true,
      Memory: 256,
      HealthCheck: { Command: ['CMD', '/healthcheck'], Interval: 15, Timeout: 5, Retries: 3, StartPeriod: 10 },
    }));
  });

  test('writes its metrics into a log group the service creates, with the mesh retention and key', () => {
    const f = fixture({ logRetention: logs.RetentionDays.TWO_WEEKS });
    const key = new kms.Key(f.stack, 'LogKey');
    const mesh = new ServiceMesh(f.stack, 'KeyedMesh', {
      vpc: f.vpc, namespaceName: 'keyed.local', logRetention: logs.RetentionDays.TWO_WEEKS, encryptionKey: key,
    });
    const service = new MeshedFargateService(f.stack, 'Orders', serviceProps(mesh, { openTelemetry: true }));
    const template = Template.fromStack(f.stack);
    const logGroupId = f.stack.getLogicalId(service.openTelemetryLogGroup!.node.defaultChild as logs.CfnLogGroup);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 14, KmsKeyId: { 'Fn::GetAtt': [f.stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
    });
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(14);

    const collector = containers(template)[1];
    const config = collector.Environment.find((e: { Name: string }) => e.Name === 'AOT_CONFIG_CONTENT');
    expect(JSON.stringify(config.Value)).toContain(logGroupId);
    expect(collector.Command).toBeUndefined();
    // The task role writes into that log group only and creates no log group.
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const logStatements = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('logs:')) && JSON.stringify(s.Resource).includes(logGroupId));
    expect(logStatements).toEqual([expect.objectContaining({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    })]);
    expect(JSON.stringify(statements)).not.toContain('logs:CreateLogGroup');
    expect(JSON.stringify(statements)).not.toContain('/aws/ecs/application/metrics');
  });

  test('its configuration exports traces to X-Ray and metrics as EMF, with the health_check extension on', () => {
    const { template } = build({ openTelemetry: true });
    const collector = containers(template)[1];
    const raw = collector.Environment.find((e: { Name: string }) => e.Name === 'AOT_CONFIG_CONTENT').Value;
    // The log group name is a reference: render it to parse the JSON the collector reads.
    const rendered = typeof raw === 'string' ? raw : (raw['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'LOG_GROUP')).join('');
    const config = JSON.parse(rendered);
    expect(config.service.extensions).toEqual(['health_check']);
    expect(config.service.pipelines.traces.exporters).toEqual(['awsxray']);
    expect(config.service.pipelines.metrics.exporters).toEqual(['awsemf']);
    expect(config.exporters.awsemf).toEqual({ namespace: 'ECS/AWSOTel/Application', log_group_name: 'LOG_GROUP', log_stream_name: '{TaskId}' });
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
  });

  test('a service with the collector stays cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(build({ openTelemetry: true }).stack)).toEqual([]);
  });
});

describe('ServiceMesh: ECS Exec encryption', () => {
  test('with an encryption key, ECS Exec sessions and their log are encrypted with it', () => {
    const f = fixture();
    const key = new kms.Key(f.stack, 'MeshKey');
    new ServiceMesh(f.stack, 'KeyedMesh', { vpc: f.vpc, namespaceName: 'keyed.local', encryptionKey: key });
    const keyArn = { 'Fn::GetAtt': [f.stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    Template.fromStack(f.stack).hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: {
          KmsKeyId: keyArn,
          Logging: 'OVERRIDE',
          LogConfiguration: Match.objectLike({ CloudWatchEncryptionEnabled: true }),
        },
      },
    });
  });
});

describe('MeshedFargateService: target group health and draining', () => {
  test('the healthy threshold and the deregistration delay reach the target group', () => {
    build({ publicLoadBalancer: true, deregistrationDelay: Duration.seconds(10), healthCheck: { path: '/health', healthyThreshold: 3, interval: Duration.seconds(10) } })
      .template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 3,
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }]),
      });
  });

  test('both need a load balancer and ranges the target group accepts', () => {
    expect(invalid({ deregistrationDelay: Duration.seconds(10) })).toMatch(/deregistrationDelay needs publicLoadBalancer: true/);
    expect(invalid({ healthCheck: { path: '/health', healthyThreshold: 3 } })).toMatch(/healthCheck.healthyThreshold needs publicLoadBalancer: true/);
    expect(invalid({ publicLoadBalancer: true, deregistrationDelay: Duration.hours(2) })).toMatch(/deregistrationDelay must be between 0 seconds and 1 hour, got 2 hours/);
    expect(invalid({ publicLoadBalancer: true, healthCheck: { path: '/health', healthyThreshold: 1 } })).toMatch(/healthCheck.healthyThreshold must be an integer between 2 and 10, got 1/);
  });
});
