import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createDeploymentEventRules } from './deployment-events';
import { JobQueue } from './job-queue';
import { createLabDashboard } from './lab-dashboard';
import {
  API_ERRORS_METRIC, LAB_METRICS_NAMESPACE, SERVICE_DIMENSION, ServiceEnvironment, WEB_REQUESTS_METRIC,
} from './service-settings';
import { AlarmTopic, Deployment, MeshedFargateService, ServiceMesh } from '../../src';
import { bundledImage } from '../bundled-code';
import { acknowledgeImageAssetPull } from '../image-asset-nag';
import { createLabVpc } from '../lab-vpc';

/** Settings of the ECS orchestration lab (`-c key=value` on the cdk command line). */
export interface EcsOrchestrationLabProps extends StackProps {
  /**
   * An email address subscribed to the lab's alarm topic (alarms and deployment outcomes).
   * @default - alarms go to the topic only
   */
  readonly alarmEmail?: string;
  /**
   * Version label of the web service; changing it deploys a new revision (a canary).
   * @default 'v1'
   */
  readonly webVersion?: string;
  /**
   * Share of web requests (0-100) the new web revision fails: a bad canary to roll back.
   * @default 0
   */
  readonly webFailurePercent?: number;
  /**
   * Version label of the api service; changing it deploys a new revision (blue/green).
   * @default 'v1'
   */
  readonly apiVersion?: string;
  /**
   * Share of api requests (0-100) the new api revision fails: a bad blue/green deployment.
   * @default 0
   */
  readonly apiFailurePercent?: number;
}

/** Port every lab service listens on (the image runs as a non-root user). */
const SERVICE_PORT = 8080;
/** Jobs a worker task may have waiting before the service adds a task (backlog per task). */
const WORKER_BACKLOG_TARGET = 10;
/** Requests a web task serves per minute before the service adds a task. */
const WEB_REQUESTS_TARGET = 600;
const CONTAINER_IMAGE = 'examples/ecs-orchestration/services';

/**
 * The ECS orchestration lab: three services in an ECS Service Connect mesh on FARGATE and
 * FARGATE_SPOT. `web` sits behind a public ALB and calls `api` and `worker` by their mesh
 * names; `worker` drains an SQS job queue. web scales on a metric it publishes itself (EMF,
 * requests per task), worker on SQS backlog per task (metric math); web deploys as a
 * canary, api blue/green, each rolled back by alarms. Everything is destroyed with the stack.
 */
export class EcsOrchestrationLabStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly alarmTopic: sns.Topic;
  public readonly mesh: ServiceMesh;
  public readonly web: MeshedFargateService;
  public readonly api: MeshedFargateService;
  public readonly worker: MeshedFargateService;
  public readonly jobs: JobQueue;
  /** Fires when web saw api calls fail: the api deployment's rollback alarm. */
  public readonly apiErrorsAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: EcsOrchestrationLabProps = {}) {
    super(scope, id, { description: 'cdk-service-integration: ECS orchestration lab (Service Connect, custom-metric autoscaling, canary and blue/green)', ...props });
    const removalPolicy = RemovalPolicy.DESTROY;

    // One customer-managed key (USD 1 a month each) serves the whole lab: the alarm topic's
    // key also encrypts the flow logs and, through the mesh, every service and ECS Exec log.
    const alarms = new AlarmTopic(this, 'AlarmTopic', {
      displayName: 'ECS orchestration lab alarms',
      emailAddresses: props.alarmEmail ? [props.alarmEmail] : undefined,
      removalPolicy,
    });
    this.alarmTopic = alarms.topic;
    // The mesh, given the key for its log groups, adds the statement that lets CloudWatch Logs use it.
    this.vpc = createLabVpc(this, { flowLogKey: alarms.encryptionKey });
    this.mesh = new ServiceMesh(this, 'Mesh', { vpc: this.vpc, namespaceName: 'ecs-lab.local', removalPolicy, alarmTopic: this.alarmTopic, encryptionKey: alarms.encryptionKey });
    this.jobs = new JobQueue(this, 'Jobs', { alarmTopic: this.alarmTopic });
    const image = bundledImage(CONTAINER_IMAGE);

    this.apiErrorsAlarm = this.createApiErrorsAlarm();
    this.api = new MeshedFargateService(this, 'Api', {
      ...this.serviceBasics('api', image, { APP_VERSION: props.apiVersion ?? 'v1', FAILURE_PERCENT: String(props.apiFailurePercent ?? 0) }),
      cpu: 256,
      memoryLimitMiB: 512,
      autoscaling: { minCapacity: 1, maxCapacity: 3, cpuTarget: 70 },
      // All api traffic moves to the new revision at once; web's ApiErrors roll it back.
      deployment: Deployment.blueGreen({ bake: Duration.minutes(5) }),
      rollbackAlarms: [this.apiErrorsAlarm],
    });

    this.worker = new MeshedFargateService(this, 'Worker', {
      ...this.serviceBasics('worker', image, { QUEUE_URL: this.jobs.queue.queueUrl, AWS_REGION: Stack.of(this).region }),
      cpu: 256,
      memoryLimitMiB: 512,
      // Every worker task on Spot: an interruption only delays jobs, which stay in the queue.
      capacity: { spotWeight: 1, onDemandBase: 0 },
      autoscaling: {
        minCapacity: 1,
        maxCapacity: 5,
        cpuTarget: 80,
        scaleInCooldown: Duration.minutes(2),
        customMetric: {
          metric: this.jobs.queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) }),
          target: WORKER_BACKLOG_TARGET,
          perTask: true,
        },
      },
    });
    this.jobs.queue.grantConsumeMessages(this.worker.taskDefinition.taskRole);

    this.web = new MeshedFargateService(this, 'Web', {
      ...this.serviceBasics('web', image, {
        APP_VERSION: props.webVersion ?? 'v1',
        FAILURE_PERCENT: String(props.webFailurePercent ?? 0),
        API_URL: `http://api:${SERVICE_PORT}`,
        WORKER_URL: `http://worker:${SERVICE_PORT}`,
      }),
      cpu: 512,
      memoryLimitMiB: 1024,
      publicLoadBalancer: true,
      healthCheck: { path: '/health', interval: Duration.seconds(10), timeout: Duration.seconds(5), unhealthyThreshold: 2, healthyThreshold: 2, healthyHttpCodes: '200' },
      // In-flight requests take milliseconds: 10 s of draining is plenty and keeps deployments quick.
      deregistrationDelay: Duration.seconds(10),
      // The first task on on-demand FARGATE, scale-out tasks on FARGATE_SPOT.
      capacity: { spotWeight: 1, onDemandBase: 1 },
      autoscaling: {
        minCapacity: 1,
        maxCapacity: 4,
        cpuTarget: 80,
        scaleInCooldown: Duration.minutes(2),
        customMetric: { metric: this.webRequestsPerTask(), target: WEB_REQUESTS_TARGET },
      },
      deployment: Deployment.canary({ percent: 20, bake: Duration.minutes(5) }),
    });
    this.web.connectTo(this.api);
    this.web.connectTo(this.worker);
    acknowledgeImageAssetPull([this.web, this.api, this.worker]);

    const deploymentEvents = createDeploymentEventRules(this, { cluster: this.mesh.cluster, topic: this.alarmTopic });
    this.dashboard = createLabDashboard(this, {
      web: this.web,
      api: this.api,
      worker: this.worker,
      jobs: this.jobs,
      webRequestsPerTask: this.webRequestsPerTask(),
      webRequestsTarget: WEB_REQUESTS_TARGET,
      workerBacklogTarget: WORKER_BACKLOG_TARGET,
      apiErrors: this.apiErrorsAlarm.metric,
      deploymentEvents,
      alarms: [...this.web.alarms, ...this.api.alarms, ...this.worker.alarms, this.apiErrorsAlarm, this.jobs.deadLetterAlarm],
    });

    new CfnOutput(this, 'WebUrl', { value: `http://${this.web.loadBalancer!.loadBalancerDnsName}`, description: 'The web service: GET / (catalog from api), GET /worker (worker counters)' });
    new CfnOutput(this, 'ClusterName', { value: this.mesh.cluster.clusterName });
    new CfnOutput(this, 'NamespaceName', { value: this.mesh.namespace.namespaceName });
    new CfnOutput(this, 'WebServiceName', { value: this.web.service.serviceName });
    new CfnOutput(this, 'ApiServiceName', { value: this.api.service.serviceName });
    new CfnOutput(this, 'WorkerServiceName', { value: this.worker.service.serviceName });
    new CfnOutput(this, 'JobQueueUrl', { value: this.jobs.queue.queueUrl });
    new CfnOutput(this, 'JobDeadLetterQueueUrl', { value: this.jobs.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'WebTargetGroupArn', { value: this.web.targetGroup!.targetGroupArn });
    new CfnOutput(this, 'WebLogGroup', { value: this.web.logGroup.logGroupName });
    new CfnOutput(this, 'WorkerLogGroup', { value: this.worker.logGroup.logGroupName });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  /** What every lab service shares: the image (role by command), port, health check and settings. */
  private serviceBasics(serviceName: 'web' | 'api' | 'worker', image: ecs.ContainerImage, environment: Partial<ServiceEnvironment>) {
    return {
      mesh: this.mesh,
      serviceName,
      image,
      command: [serviceName],
      port: SERVICE_PORT,
      healthCheck: { path: '/health' },
      environment: { PORT: String(SERVICE_PORT), SERVICE_NAME: serviceName, ...environment },
      // Fargate Spot runs X86_64 tasks only; MeshedFargateService rejects Spot with ARM64.
      cpuArchitecture: ecs.CpuArchitecture.X86_64,
      alarmTopic: this.alarmTopic,
    };
  }

  /** Requests each web task served per minute, from the EMF lines the web service writes. */
  private webRequestsPerTask(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: LAB_METRICS_NAMESPACE,
      metricName: WEB_REQUESTS_METRIC,
      dimensionsMap: { [SERVICE_DIMENSION]: 'web' },
      statistic: cloudwatch.Stats.AVERAGE,
      period: Duration.minutes(1),
      label: 'Requests per web task per minute',
    });
  }

  /**
   * web counts its failed calls to api (ApiErrors). A fixed name lets the api service name
   * the alarm as a rollback alarm; the metric is web's, so there is no dependency cycle.
   */
  private createApiErrorsAlarm(): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'ApiErrorsAlarm', {
      alarmName: `${this.stackName}-api-errors`,
      metric: new cloudwatch.Metric({
        namespace: LAB_METRICS_NAMESPACE,
        metricName: API_ERRORS_METRIC,
        dimensionsMap: { [SERVICE_DIMENSION]: 'web' },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The web service saw 5 or more failed calls to the api service in 2 of 3 minutes; an api deployment in progress rolls back.',
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }
}
