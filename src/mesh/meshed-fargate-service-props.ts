import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceAutoscaling } from './autoscaling';
import { FargateCapacity } from './capacity';
import { Deployment } from './deployment';
import { ServiceHealthCheck } from './health-check';
import { ServiceMesh } from './service-mesh';

/** Properties of a `MeshedFargateService`. */
export interface MeshedFargateServiceProps {
  /** The mesh (cluster + Service Connect namespace) the service joins. */
  readonly mesh: ServiceMesh;
  /**
   * The service's name in the mesh: Service Connect discovery name, client alias and
   * port-mapping name. A DNS label (lowercase letters, digits, hyphens; 1-63 characters).
   */
  readonly serviceName: string;
  /** The application image. */
  readonly image: ecs.ContainerImage;
  /** Port the application listens on; other services call `http://<serviceName>:<port>`. */
  readonly port: number;
  /** How ECS (and the load balancer) tell that a task is healthy. */
  readonly healthCheck: ServiceHealthCheck;
  /** Task-count autoscaling; the service never sets a desiredCount. */
  readonly autoscaling: ServiceAutoscaling;
  /**
   * Put an internet-facing Application Load Balancer in front of the service.
   * @default false - reachable only inside the mesh
   */
  readonly publicLoadBalancer?: boolean;
  /**
   * Certificate for an HTTPS listener on 443 (HTTP on 80 then redirects to it).
   * @default - HTTP listener on port 80
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Write load balancer access logs to an S3 bucket (SSE-S3, TLS-only, 90-day expiry).
   * Needs a stack with a concrete region: env-agnostic stacks cannot name the regional
   * log-delivery principal, so passing `true` there is an error.
   * @default - true when the stack's region is known or a bucket is given, false in env-agnostic stacks
   */
  readonly loadBalancerAccessLogs?: boolean;
  /**
   * Existing bucket for load balancer access logs.
   * @default - a bucket is created when access logs are on
   */
  readonly loadBalancerAccessLogsBucket?: s3.IBucket;
  /**
   * Deletion protection of the load balancer.
   * @default - true, false when the mesh's removalPolicy is DESTROY
   */
  readonly deletionProtection?: boolean;
  /**
   * How tasks spread over FARGATE and FARGATE_SPOT.
   * @default - all tasks on on-demand FARGATE
   */
  readonly capacity?: FargateCapacity;
  /**
   * How new revisions replace running ones.
   * @default Deployment.rolling()
   */
  readonly deployment?: Deployment;
  /**
   * Task CPU units (the proxy and sidecars share it).
   * @default 512
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB; the application container reserves what the proxy (64 MiB) and
   * collector (256 MiB) leave.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;
  /**
   * CPU architecture. FARGATE_SPOT runs X86_64 only.
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
  /**
   * Application protocol of the port; HTTP-family protocols get per-request metrics and timeouts.
   * @default ecs.AppProtocol.http
   */
  readonly appProtocol?: ecs.AppProtocol;
  /**
   * Time the proxy waits for a complete response (0 disables).
   * @default - Service Connect default (15 seconds)
   */
  readonly perRequestTimeout?: Duration;
  /**
   * Environment of the application container.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Secrets of the application container (from Secrets Manager or SSM).
   * @default - none
   */
  readonly secrets?: { [key: string]: ecs.Secret };
  /**
   * Command of the application container.
   * @default - the image's CMD
   */
  readonly command?: string[];
  /**
   * Entry point of the application container.
   * @default - the image's ENTRYPOINT
   */
  readonly entryPoint?: string[];
  /**
   * Run an AWS Distro for OpenTelemetry collector sidecar that receives OTLP on
   * localhost:4317/4318 and exports traces to X-Ray and metrics as EMF. The Service Connect
   * proxy itself does not trace; the application must be instrumented.
   * @default false
   */
  readonly openTelemetry?: boolean;
  /**
   * Collector image when openTelemetry is on.
   * @default - public.ecr.aws/aws-observability/aws-otel-collector, pinned version
   */
  readonly openTelemetryCollectorImage?: ecs.ContainerImage;
  /**
   * Allow ECS Exec into the tasks; sessions are logged to the mesh's exec log group.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Subnets of the tasks.
   * @default - private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * More alarms that roll a deployment back when they fire during it.
   * @default - only the service's own rollback alarms
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * The SNS topic every alarm of the service notifies, on ALARM and on OK.
   * @default - the mesh's alarmTopic
   */
  readonly alarmTopic?: sns.ITopic;
}
