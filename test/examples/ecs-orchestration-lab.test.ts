import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EcsOrchestrationLabStack } from '../../examples/ecs-orchestration/ecs-orchestration-lab-stack';
import { controlTowerFindings } from '../helpers/control-tower';
import { unacknowledgedNagFindings } from '../helpers/nag';

// One synthesis shared by the assertions; nag runs on its own instance.
const stack = new EcsOrchestrationLabStack(new App(), 'EcsOrchestrationLab');
const template = Template.fromStack(stack);

function resourcesOf(type: string): Record<string, { Properties: Record<string, any>; DeletionPolicy?: string }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
}

function serviceNamed(name: string): Record<string, any> {
  return Object.values(resourcesOf('AWS::ECS::Service')).find((s) => s.Properties.ServiceConnectConfiguration.Services[0].DiscoveryName === name)!.Properties;
}

function policiesOf(serviceLogicalIdPrefix: string) {
  return Object.entries(resourcesOf('AWS::ApplicationAutoScaling::ScalingPolicy'))
    .filter(([id]) => id.startsWith(serviceLogicalIdPrefix))
    .map(([, p]) => p.Properties.TargetTrackingScalingPolicyConfiguration);
}

describe('EcsOrchestrationLab', () => {
  test('the cluster offers FARGATE and FARGATE_SPOT; worker runs on Spot, web mixes, api stays on-demand', () => {
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
    expect(serviceNamed('worker').CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 0, Weight: 0 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
    ]);
    expect(serviceNamed('web').CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 1, Weight: 0 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
    ]);
    expect(serviceNamed('api').CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }]);
    // Fargate Spot runs X86_64 only.
    for (const td of Object.values(resourcesOf('AWS::ECS::TaskDefinition'))) expect(td.Properties.RuntimePlatform.CpuArchitecture).toBe('X86_64');
  });

  test('three services are discoverable by name in one Service Connect namespace; web calls api and worker by those names', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'ecs-lab.local' });
    const aliases = ['web', 'api', 'worker'].map((n) => serviceNamed(n).ServiceConnectConfiguration.Services[0].ClientAliases[0]);
    expect(aliases).toEqual(['web', 'api', 'worker'].map((DnsName) => expect.objectContaining({ DnsName, Port: 8080 })));
    const web = Object.values(resourcesOf('AWS::ECS::TaskDefinition')).find((td) => td.Properties.ContainerDefinitions[0].Command[0] === 'web')!;
    expect(web.Properties.ContainerDefinitions[0].Environment).toEqual(expect.arrayContaining([
      { Name: 'API_URL', Value: 'http://api:8080' }, { Name: 'WORKER_URL', Value: 'http://worker:8080' },
    ]));
    const meshRules = Object.values(resourcesOf('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties.Description).filter((d) => d.includes('Service Connect'));
    expect(meshRules.sort()).toEqual(['web calls api through Service Connect', 'web calls worker through Service Connect']);
  });

  test('every container runs the lab image as an unprivileged user with a read-only root, a /tmp scratch volume, a memory limit and a health check', () => {
    for (const td of Object.values(resourcesOf('AWS::ECS::TaskDefinition'))) {
      for (const c of td.Properties.ContainerDefinitions) {
        expect(c).toEqual(expect.objectContaining({
          User: '1000:1000',
          ReadonlyRootFilesystem: true,
          MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'scratch-tmp', ReadOnly: false }],
          Memory: expect.any(Number),
          HealthCheck: expect.objectContaining({ Command: ['CMD-SHELL', expect.stringContaining('http://localhost:8080/health')] }),
          Image: { 'Fn::Sub': expect.stringContaining('cdk-hnb659fds-container-assets') },
        }));
      }
    }
  });

  test('the ALB target group checks /health with explicit interval and thresholds and drains for 10 seconds', () => {
    const groups = Object.values(resourcesOf('AWS::ElasticLoadBalancingV2::TargetGroup')).map((g) => g.Properties);
    expect(groups).toHaveLength(2); // blue and green for the canary
    for (const g of groups) {
      expect(g).toEqual(expect.objectContaining({
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
        TargetType: 'ip',
        Port: 8080,
      }));
      expect(g.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '10' });
    }
  });

  test('web scales on the requests per task it publishes as EMF', () => {
    expect(policiesOf('Web')).toContainEqual(expect.objectContaining({
      TargetValue: 600,
      CustomizedMetricSpecification: { Namespace: 'EcsOrchestrationLab', MetricName: 'Requests', Dimensions: [{ Name: 'ServiceName', Value: 'web' }], Statistic: 'Average' },
    }));
  });

  test('worker scales on SQS backlog per task: visible messages divided by its running tasks', () => {
    const worker = policiesOf('Worker').find((p) => p.CustomizedMetricSpecification?.Metrics)!;
    expect(worker.TargetValue).toBe(10);
    const [visible, tasks, expression] = worker.CustomizedMetricSpecification.Metrics;
    expect(visible.MetricStat).toEqual(expect.objectContaining({
      Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^JobsQueue/), 'QueueName'] } }] },
      Stat: 'Sum',
    }));
    expect(tasks.MetricStat.Metric.MetricName).toBe('RunningTaskCount');
    expect(tasks.MetricStat.Metric.Dimensions[1].Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WorkerService/), 'Name'] });
    expect(expression).toEqual({ Id: 'tracked', Expression: 'shared / tasks', Label: 'per running task', ReturnData: true });
  });

  test('the worker may consume only the job queue, which dead-letters after 3 receives into a DLQ that names its source', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'EcsOrchestrationLab-jobs',
      VisibilityTimeout: 60,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobsDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [{ 'Fn::Join': ['', Match.arrayWith([':EcsOrchestrationLab-jobs'])] }] },
    });
    const statements = Object.values(resourcesOf('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const sqsStatements = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('sqs:')));
    expect(sqsStatements).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [expect.stringMatching(/^JobsQueue/), 'Arn'] } })]);
  });

  test('web deploys as a canary and api blue/green, each rolled back by alarms', () => {
    expect(serviceNamed('web').DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 20, CanaryBakeTimeInMinutes: 5 },
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { AlarmNames: [expect.stringMatching(/-memory$/), expect.stringMatching(/-5xx$/)], Enable: true, Rollback: true },
    }));
    expect(serviceNamed('api').DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'BLUE_GREEN',
      BakeTimeInMinutes: 5,
      Alarms: { AlarmNames: [expect.stringMatching(/-memory$/), { Ref: expect.stringMatching(/^ApiErrorsAlarm/) }], Enable: true, Rollback: true },
    }));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'EcsOrchestrationLab-api-errors', Namespace: 'EcsOrchestrationLab', MetricName: 'ApiErrors', Threshold: 5, Statistic: 'Sum',
    });
  });

  test('deployment outcomes of the lab services go to the alarm topic and onto the dashboard', () => {
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'source': ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'], 'detail': { eventName: ['SERVICE_DEPLOYMENT_FAILED'] } }),
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AlarmTopic') } })],
    });
    const body = JSON.stringify(Object.values(resourcesOf('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const title of ['web scaling metric', 'worker scaling metric', 'Running tasks per service', 'web target health', 'Deployment events', 'Job queue', 'Alarms']) {
      expect(body).toContain(title);
    }
    for (const metric of ['MatchedEvents', 'HealthyHostCount', 'UnHealthyHostCount', 'RunningTaskCount', 'Requests']) expect(body).toContain(metric);
  });

  test('every alarm notifies the lab alarm topic', () => {
    const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(12);
    expect(alarms.filter((a) => !JSON.stringify(a.Properties.AlarmActions ?? []).includes('AlarmTopic'))).toEqual([]);
  });

  test('public subnets assign no public IPs and tasks get none', () => {
    const subnets = Object.values(resourcesOf('AWS::EC2::Subnet')).map((s) => s.Properties.MapPublicIpOnLaunch);
    expect(subnets).toEqual([false, false, false, false]);
    for (const s of Object.values(resourcesOf('AWS::ECS::Service'))) expect(s.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
  });

  test('passes the Control Tower container and subnet controls', () => {
    expect(controlTowerFindings(stack, ['CT.ECS.PR.3', 'CT.ECS.PR.6', 'CT.ECS.PR.7', 'CT.EC2.PR.11', 'CT.SQS.PR.1', 'CT.SQS.PR.2'])).toEqual([]);
  });

  test('nothing is retained when the stack is destroyed', () => {
    const kept = Object.entries(template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'Snapshot' || r.DeletionPolicy === 'RetainExceptOnCreate');
    expect(kept.map(([id]) => id)).toEqual([]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
  });

  test('never uses the retired App Mesh', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('AWS::AppMesh::');
  });

  test('is cdk-nag clean (AwsSolutions + Serverless)', () => {
    expect(unacknowledgedNagFindings(new EcsOrchestrationLabStack(new App(), 'EcsOrchestrationLabNag'))).toEqual([]);
  });

  test('deployment exercises change only the version and failure settings of the service they target', () => {
    const bad = Template.fromStack(new EcsOrchestrationLabStack(new App(), 'Bad', { webVersion: 'v2', webFailurePercent: 100 }));
    const webEnv = Object.values(bad.findResources('AWS::ECS::TaskDefinition'))
      .find((td) => td.Properties.ContainerDefinitions[0].Command[0] === 'web')!.Properties.ContainerDefinitions[0].Environment;
    expect(webEnv).toEqual(expect.arrayContaining([{ Name: 'APP_VERSION', Value: 'v2' }, { Name: 'FAILURE_PERCENT', Value: '100' }]));
  });
});
