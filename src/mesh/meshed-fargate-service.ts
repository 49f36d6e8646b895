import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ServiceAutoscaling } from './autoscaling';
import { FargateCapacity } from './capacity';
import { addScratchVolumes, DEFAULT_CONTAINER_USER, DEFAULT_SCRATCH_PATHS } from './container-hardening';
import { Deployment } from './deployment';
import { createIngress } from './ingress';
import { createServiceAlarms } from './meshed-fargate-service-alarms';
import { MeshedFargateServiceProps } from './meshed-fargate-service-props';
import { PROXY_HEADROOM, validateServiceProps } from './meshed-fargate-service-validation';
import { addCollector, COLLECTOR_SIZE } from './otel-collector';
import { runningTaskCountMetric } from './running-tasks';
import { ServiceMesh } from './service-mesh';
import { trackMetric } from './tracked-metric';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { createLogGroup } from '../core/defaults';
import { acknowledgeNagFindings } from '../core/nag';
import { PropsValidator } from '../core/validation';

/**
 * A Fargate service in a Service Connect mesh: named port mapping and client alias
 * (`http://<serviceName>:<port>`), access logs, container health check, a hardened
 * container (non-root user, read-only root filesystem with writable scratch volumes, hard
 * memory limit), autoscaling without a desiredCount (CPU, memory, ALB requests, a custom
 * metric or metric math), circuit breaker with rollback plus deployment alarms, optional
 * canary/linear/blue-green traffic shifting, optional public ALB, alarms on CPU, memory,
 * running tasks and ALB 5XX. `connectTo` opens exactly one port between two services.
 */
export class MeshedFargateService extends AlarmedConstruct {
  /** The mesh the service belongs to. */
  public readonly mesh: ServiceMesh;
  /** The service's name in the mesh. */
  public readonly serviceName: string;
  /** Port the application listens on and clients call. */
  public readonly port: number;
  /** Address other services in the mesh call, e.g. `http://orders:8080`. */
  public readonly endpoint: string;
  /** The ECS service. */
  public readonly service: ecs.FargateService;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The ADOT collector sidecar, when openTelemetry is on. */
  public readonly collectorContainer?: ecs.ContainerDefinition;
  /** Log group the collector writes its EMF metrics into, when openTelemetry is on. */
  public readonly openTelemetryLogGroup?: logs.LogGroup;
  /** Security group of the tasks. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Log group of the application, the proxy and its access logs. */
  public readonly logGroup: logs.LogGroup;
  /** Task-count scaling of the service. */
  public readonly scaling: ecs.ScalableTaskCount;
  /** The public load balancer, when publicLoadBalancer is on. */
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  /** The production listener, when there is a load balancer. */
  public readonly listener?: elbv2.ApplicationListener;
  /** The (blue) target group, when there is a load balancer. */
  public readonly targetGroup?: elbv2.ApplicationTargetGroup;
  /** The alternate (green) target group of traffic-shifting deployments behind the load balancer. */
  public readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** Bucket of the load balancer access logs, when they are on. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** How new revisions replace running ones. */
  public readonly deployment: Deployment;
  /** Fires when average CPU stays at or above 90 % for five minutes. */
  public readonly cpuAlarm: cloudwatch.Alarm;
  /** Fires when average memory stays at or above 90 % for five minutes; rolls deployments back. */
  public readonly memoryAlarm: cloudwatch.Alarm;
  /** Fires when fewer tasks run than autoscaling's minimum (absent when the minimum is 0). */
  public readonly runningTasksAlarm?: cloudwatch.Alarm;
  /** Fires when 5 % or more of ALB responses are 5XX; rolls deployments back. */
  public readonly serverErrorAlarm?: cloudwatch.Alarm;

  private readonly connectedTo = new Set<MeshedFargateService>();

  constructor(scope: Construct, id: string, props: MeshedFargateServiceProps) {
    super(scope, id, props.alarmTopic ?? props.mesh.alarmTopic);
    const cpu = props.cpu ?? 512;
    const memory = props.memoryLimitMiB ?? 1024;
    const architecture = props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64;
    const deployment = props.deployment ?? Deployment.rolling();
    const capacity = resolveCapacity(props.capacity);
    const readonlyRootFilesystem = props.readonlyRootFilesystem ?? !props.enableExecuteCommand;
    const scratchPaths = props.scratchPaths ?? (readonlyRootFilesystem ? DEFAULT_SCRATCH_PATHS : []);
    // Access logs default to on wherever the template can name the regional log-delivery principal.
    const accessLogs = props.publicLoadBalancer === true
      && (props.loadBalancerAccessLogs ?? (props.loadBalancerAccessLogsBucket !== undefined || !Token.isUnresolved(Stack.of(this).region)));
    validateServiceProps(this, props, { cpu, memory, architecture, deployment, capacity, accessLogs, readonlyRootFilesystem, scratchPaths });

    this.mesh = props.mesh;
    this.serviceName = props.serviceName;
    this.port = props.port;
    this.endpoint = `http://${props.serviceName}:${props.port}`;
    this.deployment = deployment;

    this.logGroup = createLogGroup(this, 'Logs', {
      retention: props.mesh.logRetention,
      removalPolicy: props.mesh.removalPolicy,
      encryptionKey: props.mesh.encryptionKey,
    });

    // Task definition: the app's hard limit is what the injected proxy and the optional collector leave.
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu,
      memoryLimitMiB: memory,
      runtimePlatform: { cpuArchitecture: architecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const collectorMemory = props.openTelemetry ? COLLECTOR_SIZE.memoryMiB : 0;
    const healthCommand = props.healthCheck.command ?? [
      'CMD-SHELL',
      `curl -fsS http://localhost:${props.port}${props.healthCheck.path} >/dev/null `
        + `|| wget -q -O /dev/null http://localhost:${props.port}${props.healthCheck.path} || exit 1`,
    ];
    this.container = this.taskDefinition.addContainer('App', {
      containerName: 'app',
      image: props.image,
      essential: true,
      memoryLimitMiB: memory - PROXY_HEADROOM.memoryMiB - collectorMemory,
      user: props.user ?? DEFAULT_CONTAINER_USER,
      readonlyRootFilesystem,
      environment: {
        ...(props.openTelemetry ? {
          OTEL_SERVICE_NAME: props.serviceName,
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4317',
        } : {}),
        ...props.environment,
      },
      secrets: props.secrets,
      command: props.command,
      entryPoint: props.entryPoint,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'app' }),
      portMappings: [{
        name: props.serviceName,
        containerPort: props.port,
        appProtocol: props.appProtocol ?? ecs.AppProtocol.http,
      }],
      healthCheck: {
        command: healthCommand,
        interval: props.healthCheck.interval ?? Duration.seconds(15),
        timeout: props.healthCheck.timeout ?? Duration.seconds(5),
        retries: props.healthCheck.unhealthyThreshold ?? 3,
        startPeriod: props.healthCheck.startPeriod ?? Duration.seconds(30),
      },
    });
    addScratchVolumes(this.taskDefinition, this.container, scratchPaths);
    if (props.openTelemetry) {
      this.openTelemetryLogGroup = createLogGroup(this, 'OtelMetricsLogs', {
        retention: props.mesh.logRetention,
        removalPolicy: props.mesh.removalPolicy,
        encryptionKey: props.mesh.encryptionKey,
      });
      this.collectorContainer = addCollector({
        taskDefinition: this.taskDefinition,
        image: props.openTelemetryCollectorImage,
        containerLogGroup: this.logGroup,
        metricsLogGroup: this.openTelemetryLogGroup,
      });
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.mesh.vpc,
      description: `Tasks of mesh service ${props.serviceName}`,
      allowAllOutbound: true,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.mesh.cluster,
      taskDefinition: this.taskDefinition,
      assignPublicIp: false,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      capacityProviderStrategies: capacity,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      deploymentStrategy: deployment.strategy,
      canaryConfiguration: deployment.strategy === ecs.DeploymentStrategy.CANARY
        ? { stepPercent: deployment.stepPercent, stepBakeTime: deployment.stepBake } : undefined,
      linearConfiguration: deployment.strategy === ecs.DeploymentStrategy.LINEAR
        ? { stepPercent: deployment.stepPercent, stepBakeTime: deployment.stepBake } : undefined,
      bakeTime: deployment.bake,
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      healthCheckGracePeriod: props.publicLoadBalancer ? Duration.seconds(60) : undefined,
      serviceConnectConfiguration: {
        namespace: props.mesh.namespace.namespaceArn,
        services: [{
          portMappingName: props.serviceName,
          discoveryName: props.serviceName,
          dnsName: props.serviceName,
          port: props.port,
          perRequestTimeout: props.perRequestTimeout,
          idleTimeout: props.idleTimeout,
          tls: props.mesh.serviceConnectTls(),
        }],
        logDriver: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'service-connect' }),
        accessLogConfiguration: props.mesh.accessLogs ? { format: ecs.ServiceConnectAccessLogFormat.JSON } : undefined,
      },
    });
    if (deployment.shiftsTraffic) this.addTestTrafficRule(deployment);

    if (props.publicLoadBalancer) {
      const ingress = createIngress(this, {
        service: this.service,
        vpc: props.mesh.vpc,
        port: props.port,
        healthCheck: props.healthCheck,
        deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(30),
        certificate: props.certificate,
        accessLogs,
        accessLogsBucket: props.loadBalancerAccessLogsBucket,
        deletionProtection: props.deletionProtection ?? props.mesh.removalPolicy !== RemovalPolicy.DESTROY,
        removalPolicy: props.mesh.removalPolicy,
        shiftsTraffic: deployment.shiftsTraffic,
        productionRulePriority: props.productionRulePriority ?? 1,
      });
      this.loadBalancer = ingress.loadBalancer;
      this.listener = ingress.listener;
      this.targetGroup = ingress.targetGroup;
      this.alternateTargetGroup = ingress.alternateTargetGroup;
      this.accessLogsBucket = ingress.accessLogsBucket;
    }

    this.scaling = this.configureScaling(props.autoscaling);

    const alarms = createServiceAlarms(this, this._alarmSet, {
      service: this.service,
      cluster: props.mesh.cluster,
      minCapacity: props.autoscaling.minCapacity,
      loadBalancer: this.loadBalancer,
    });
    this.cpuAlarm = alarms.cpuAlarm;
    this.memoryAlarm = alarms.memoryAlarm;
    this.runningTasksAlarm = alarms.runningTasksAlarm;
    this.serverErrorAlarm = alarms.serverErrorAlarm;
    // Fixed alarm names: the service references them by name without depending on them.
    this.service.enableDeploymentAlarms(
      [...alarms.rollbackAlarmNames, ...(props.rollbackAlarms ?? []).map((a) => a.alarmName)],
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );

    this.acknowledgeNagFindings(props);
  }

  /**
   * Let this service call `other` through the mesh: opens exactly `other.port` from this
   * service's security group to other's, and makes this service deploy after `other` so its
   * tasks start with other's endpoint known. Both must be in the same mesh.
   */
  public connectTo(other: MeshedFargateService): void {
    const v = new PropsValidator(this, 'MeshedFargateService.connectTo');
    v.check(other !== this, 'other', 'must be another service, not the service itself', other.serviceName);
    v.check(other.mesh === this.mesh, 'other',
      `must be in the same ServiceMesh ('${this.mesh.node.path}'); it is in '${other.mesh.node.path}'`, other.serviceName);
    v.throwIfInvalid();
    if (this.connectedTo.has(other)) return;
    this.connectedTo.add(other);
    other.securityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(other.port), `${this.serviceName} calls ${other.serviceName} through Service Connect`);
    // Two services calling each other cannot both deploy first; the first connectTo wins.
    if (!other.connectedTo.has(this)) this.service.node.addDependency(other.service);
  }

  /**
   * Tasks of the service in the RUNNING state (Container Insights), averaged per minute by
   * default: the task count to graph next to the scaling metric.
   */
  public metricRunningTaskCount(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return runningTaskCountMetric(this.mesh.cluster, this.service, options);
  }

  /** Service Connect test-traffic header rule: L1 only, so set by override here. */
  private addTestTrafficRule(deployment: Deployment): void {
    const header = deployment.testTrafficHeader ?? { name: Deployment.DEFAULT_TEST_TRAFFIC_HEADER };
    (this.service.node.defaultChild as ecs.CfnService).addPropertyOverride(
      'ServiceConnectConfiguration.Services.0.ClientAliases.0.TestTrafficRules',
      { Header: { Name: header.name, ...(header.value !== undefined ? { Value: { Exact: header.value } } : {}) } },
    );
  }

  private configureScaling(autoscaling: ServiceAutoscaling): ecs.ScalableTaskCount {
    const scaling = this.service.autoScaleTaskCount({ minCapacity: autoscaling.minCapacity, maxCapacity: autoscaling.maxCapacity });
    const cooldowns = {
      scaleInCooldown: autoscaling.scaleInCooldown ?? Duration.minutes(5),
      scaleOutCooldown: autoscaling.scaleOutCooldown ?? Duration.minutes(1),
    };
    scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: autoscaling.cpuTarget, ...cooldowns });
    if (autoscaling.memoryTarget !== undefined) {
      scaling.scaleOnMemoryUtilization('MemoryScaling', { targetUtilizationPercent: autoscaling.memoryTarget, ...cooldowns });
    }
    if (autoscaling.requestsPerTarget !== undefined && this.targetGroup) {
      scaling.scaleOnRequestCount('RequestScaling', { requestsPerTarget: autoscaling.requestsPerTarget, targetGroup: this.targetGroup, ...cooldowns });
    }
    const custom = autoscaling.customMetric;
    if (custom) {
      const metric = custom.perTask
        ? new cloudwatch.MathExpression({
          expression: 'shared / tasks',
          usingMetrics: { shared: custom.metric, tasks: this.metricRunningTaskCount() },
          label: 'per running task',
          period: Duration.minutes(1),
        })
        : custom.metric;
      trackMetric(scaling, 'CustomMetricScaling', { metric, target: custom.target, ...cooldowns });
    }
    return scaling;
  }

  private acknowledgeNagFindings(props: MeshedFargateServiceProps): void {
    if (props.environment !== undefined || props.openTelemetry) {
      acknowledgeNagFindings(this.taskDefinition, [{
        id: 'AwsSolutions-ECS2',
        reason: 'Plain environment variables carry non-secret configuration only (service name, collector endpoint, caller settings); '
          + 'secrets go through the secrets prop (Secrets Manager / SSM).',
      }]);
    }
    const stack = Stack.of(this);
    // cdk-nag renders pseudo parameters as <AWS::X> and other references as <LogicalId>.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const logGroupArn = (name: string) => `Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:${name}:*`;
    const wildcards: string[] = [];
    if (props.openTelemetry) wildcards.push('Resource::*');
    if (props.enableExecuteCommand) {
      const execLogGroup = stack.getLogicalId(props.mesh.executeCommandLogGroup.node.defaultChild as logs.CfnLogGroup);
      wildcards.push('Resource::*', logGroupArn(`<${execLogGroup}>`));
    }
    if (wildcards.length > 0) {
      acknowledgeNagFindings(this.taskDefinition.taskRole.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'X-Ray trace/sampling APIs and the ECS Exec ssmmessages channel APIs accept no resource-level permissions (resource must be *); '
          + 'ECS Exec session log streams are created at run time inside the mesh\'s one exec log group.',
        appliesTo: [...new Set(wildcards)],
      }]);
    }
  }
}

/** FARGATE / FARGATE_SPOT strategy; always explicit so toggling Spot never replaces the service. */
function resolveCapacity(capacity?: FargateCapacity): ecs.CapacityProviderStrategy[] {
  const spotWeight = capacity?.spotWeight ?? 0;
  const onDemand: ecs.CapacityProviderStrategy = {
    capacityProvider: 'FARGATE',
    base: capacity?.onDemandBase ?? 1,
    weight: capacity?.onDemandWeight ?? (spotWeight > 0 ? 0 : 1),
  };
  return spotWeight > 0 ? [onDemand, { capacityProvider: 'FARGATE_SPOT', weight: spotWeight }] : [onDemand];
}
