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
   * Priority of the ALB listener rule that carries production traffic when a canary, linear
   * or blue/green deployment shifts traffic behind the load balancer (ECS moves its
   * weights). ALB evaluates rules by priority, lowest first: leave lower numbers free for
   * your own rules on `listener`, for example a header-based A/B route at priority 10.
   * An integer between 1 and 50,000; needs `publicLoadBalancer` and a traffic-shifting
   * `deployment`.
   * @default 1
   */
  readonly productionRulePriority?: number;
  /**
   * Task CPU units (the proxy and sidecars share it).
   * @default 512
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB. The application container gets what the proxy (64 MiB) and the
   * collector (256 MiB) leave as its hard limit: it is stopped when it uses more.
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
   * Time the Service Connect proxy waits for a complete response to a request, in whole
   * seconds (0 disables it). Keep it no longer than `idleTimeout`: the proxy closes an idle
   * connection at the idle timeout even while a response is still awaited.
   * @default - Service Connect default (15 seconds)
   */
  readonly perRequestTimeout?: Duration;
  /**
   * Time the Service Connect proxy keeps an idle connection open, in whole seconds (0
   * disables it). Must not be shorter than `perRequestTimeout` when both are set.
   * @default - Service Connect default (5 minutes for HTTP, HTTP/2 and gRPC)
   */
  readonly idleTimeout?: Duration;
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
   * User (and group) the application container runs as: `uid`, `uid:gid`, `name` or
   * `name:group` (names must exist in the image). Passing `root` or `0` is an explicit
   * opt-out that fails the AWS Control Tower control CT.ECS.PR.3. A non-root process cannot
   * bind ports below 1024: listen on 1024 or above (e.g. 8080).
   * @default '1000:1000' - an unprivileged user and group (the `node` user of the official Node.js images)
   */
  readonly user?: string;
  /**
   * Mount the application container's root filesystem read-only; the process writes only
   * to `scratchPaths`. ECS Exec needs a writable root filesystem, so it cannot be combined
   * with `enableExecuteCommand`.
   * @default - true, false when enableExecuteCommand is on
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Absolute paths where the application container gets an empty, writable scratch volume
   * (a task bind mount, removed with the task, sharing the task's 20 GiB of ephemeral
   * storage). On Fargate such a volume belongs to root with mode 0755 unless the image
   * declares `VOLUME` at the same path, in which case the image's owner and mode carry over:
   * a non-root `user` can write to it only with such an image (e.g. `VOLUME ["/tmp"]` on a
   * world-writable /tmp).
   * @default - ['/tmp'] with a read-only root filesystem, none otherwise
   */
  readonly scratchPaths?: string[];
  /**
   * Time the load balancer lets in-flight requests of a stopping task finish before it
   * leaves the target group (0-3600 seconds); needs `publicLoadBalancer`.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;
  /**
   * Run an AWS Distro for OpenTelemetry collector sidecar that receives OTLP on
   * localhost:4317/4318, exports traces to X-Ray and metrics as EMF into a log group the
   * service owns (`openTelemetryLogGroup`). It runs as an unprivileged user with a read-only
   * root filesystem, a hard memory limit and a health check. The Service Connect proxy
   * itself does not trace; the application must be instrumented.
   * @default false
   */
  readonly openTelemetry?: boolean;
  /**
   * Collector image when openTelemetry is on. It must read its configuration from the
   * `AOT_CONFIG_CONTENT` environment variable and ship the `/healthcheck` binary, as the
   * AWS Distro for OpenTelemetry images do.
   * @default - public.ecr.aws/aws-observability/aws-otel-collector, pinned version
   */
  readonly openTelemetryCollectorImage?: ecs.ContainerImage;
  /**
   * Allow ECS Exec into the tasks; sessions are logged to the mesh's exec log group. The
   * ECS Exec agent writes to the container's file system, so the root filesystem stays
   * writable (see `readonlyRootFilesystem`).
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
