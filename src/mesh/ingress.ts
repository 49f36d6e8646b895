import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ServiceHealthCheck } from './health-check';
import { acknowledgeNagFindings } from '../core/nag';

/** What the public ingress of a MeshedFargateService needs (internal). */
export interface IngressOptions {
  readonly service: ecs.FargateService;
  readonly vpc: ec2.IVpc;
  readonly port: number;
  readonly healthCheck: ServiceHealthCheck;
  readonly deregistrationDelay: Duration;
  readonly certificate?: acm.ICertificate;
  readonly accessLogs: boolean;
  readonly accessLogsBucket?: s3.IBucket;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** Canary, linear and blue/green need a listener rule and a second target group. */
  readonly shiftsTraffic: boolean;
  /** Priority of that production listener rule; lower numbers stay free for the caller's rules. */
  readonly productionRulePriority: number;
}

/** The public ingress: ALB, production listener, target group(s), access-log bucket. */
export interface Ingress {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  readonly accessLogsBucket?: s3.IBucket;
}

/**
 * Internet-facing ALB in the public subnets in front of the service. Behind it, ECS native
 * canary/linear/blue-green deployments need a listener RULE forwarding to a blue and a green
 * target group (ECS moves the weights) and only forward actions on the listener.
 */
export function createIngress(scope: Construct, o: IngressOptions): Ingress {
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc: o.vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    dropInvalidHeaderFields: true,
    desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
    deletionProtection: o.deletionProtection,
  });
  const targetGroupProps: elbv2.ApplicationTargetGroupProps = {
    vpc: o.vpc,
    port: o.port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    deregistrationDelay: o.deregistrationDelay,
    healthCheck: {
      path: o.healthCheck.path,
      interval: o.healthCheck.interval ?? Duration.seconds(15),
      timeout: o.healthCheck.timeout ?? Duration.seconds(5),
      healthyThresholdCount: o.healthCheck.healthyThreshold ?? 2,
      unhealthyThresholdCount: o.healthCheck.unhealthyThreshold ?? 3,
      healthyHttpCodes: o.healthCheck.healthyHttpCodes ?? '200-399',
    },
  };
  const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'TargetGroup', targetGroupProps);
  const listener = loadBalancer.addListener('Listener', {
    port: o.certificate ? 443 : 80,
    protocol: o.certificate ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
    certificates: o.certificate ? [o.certificate] : undefined,
    sslPolicy: o.certificate ? elbv2.SslPolicy.RECOMMENDED_TLS : undefined,
    open: true,
    defaultAction: elbv2.ListenerAction.forward([targetGroup]),
  });
  if (o.certificate) loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });

  let alternateTargetGroup: elbv2.ApplicationTargetGroup | undefined;
  if (o.shiftsTraffic) {
    alternateTargetGroup = new elbv2.ApplicationTargetGroup(scope, 'AlternateTargetGroup', targetGroupProps);
    const productionRule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', {
      listener,
      priority: o.productionRulePriority,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup, weight: 100 },
        { targetGroup: alternateTargetGroup, weight: 0 },
      ]),
    });
    // The role ECS uses to move listener-rule weights during a deployment.
    const role = new iam.Role(scope, 'DeploymentTrafficRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'Lets ECS shift listener-rule weights between the blue and green target groups',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForLoadBalancers')],
    });
    acknowledgeNagFindings(role, [{
      id: 'AwsSolutions-IAM4',
      reason: 'ECS native blue/green documents the AWS managed policy AmazonECSInfrastructureRolePolicyForLoadBalancers for the role that '
        + 'moves listener-rule weights; AWS keeps it in step with the deployment feature.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers'],
    }]);
    o.service.loadBalancerTarget({
      containerName: 'app',
      containerPort: o.port,
      alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
        alternateTargetGroup,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(productionRule),
        role,
      }),
    }).attachToApplicationTargetGroup(targetGroup);
  } else {
    o.service.loadBalancerTarget({ containerName: 'app', containerPort: o.port }).attachToApplicationTargetGroup(targetGroup);
  }

  let accessLogsBucket: s3.IBucket | undefined;
  if (o.accessLogs) {
    accessLogsBucket = o.accessLogsBucket ?? createAccessLogsBucket(scope, o.removalPolicy);
    loadBalancer.logAccessLogs(accessLogsBucket, 'alb');
  } else {
    acknowledgeNagFindings(loadBalancer, [{
      id: 'AwsSolutions-ELB2',
      reason: 'Access logs are off because the stack is env-agnostic (the ELB log-delivery principal is regional) or the caller turned them off; '
        + 'ALB metrics and the 5XX alarm still cover the ingress. Set env.region and loadBalancerAccessLogs to enable them.',
    }]);
  }
  const lbSecurityGroup = loadBalancer.connections.securityGroups[0];
  acknowledgeNagFindings(lbSecurityGroup, [{
    id: 'AwsSolutions-EC23',
    reason: 'An internet-facing load balancer accepts its listener port from anywhere by design; the tasks behind it stay in private '
      + 'subnets and accept traffic only from this security group.',
  }]);
  return { loadBalancer, listener, targetGroup, alternateTargetGroup, accessLogsBucket };
}

function createAccessLogsBucket(scope: Construct, removalPolicy: RemovalPolicy): s3.Bucket {
  // ALB access logs support SSE-S3 only (not SSE-KMS).
  const bucket = new s3.Bucket(scope, 'AccessLogsBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy,
  });
  acknowledgeNagFindings(bucket, [{
    id: 'AwsSolutions-S1',
    reason: 'This bucket is itself the access-log destination of the load balancer; logging its own access would log the log writes.',
  }]);
  return bucket;
}
