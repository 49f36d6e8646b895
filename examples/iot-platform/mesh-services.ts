import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ANALYTICS_SERVICE_CONF, DATA_SERVICE_CONF, deviceServiceConf } from './service-configs';
import { Deployment, MeshedFargateService, MeshedFargateServiceProps, MeshTls, ServiceMesh } from '../../src';
import { acknowledgeImageAssetPull } from '../image-asset-nag';
import { labNginxImage, nginxServiceProps, SERVICE_PORT } from '../lab-nginx';

export const MESH_NAMESPACE = 'iot-platform.local';
/** The header that sends a request to device-service-b (the A/B route). */
export const AB_HEADER = 'x-ab-variant';
/** The header that reaches the canary's new revision while it bakes. */
export const CANARY_TEST_HEADER = 'x-canary';
/** The A/B rule sits ahead of the production rule the canary deployment shifts. */
export const AB_RULE_PRIORITY = 10;
export const PRODUCTION_RULE_PRIORITY = 100;

export interface IotMeshProps {
  readonly vpc: ec2.IVpc;
  readonly alarmTopic: sns.ITopic;
  readonly encryptionKey: kms.IKey;
  /** TLS between the services through a short-lived AWS Private CA. */
  readonly meshTls: boolean;
  /** device-service's version string (the canary exercise changes it). */
  readonly deviceServiceVersion: string;
}

/**
 * The platform's Service Connect mesh in `iot-platform.local`: device-service (public ALB,
 * canary deployments, an A/B header route to device-service-b), data-service and
 * analytics-service, each with a per-request timeout. Graviton tasks of 0.25 vCPU / 512 MiB;
 * every core service keeps two tasks, one per AZ.
 */
export class IotMesh extends Construct {
  public readonly mesh: ServiceMesh;
  public readonly deviceService: MeshedFargateService;
  public readonly deviceServiceB: MeshedFargateService;
  public readonly dataService: MeshedFargateService;
  public readonly analyticsService: MeshedFargateService;
  /** device-service-b's target group on device-service's listener. */
  public readonly variantBTargetGroup: elbv2.ApplicationTargetGroup;
  /** The short-lived root CA when meshTls is on. */
  public readonly certificateAuthority?: acmpca.CfnCertificateAuthority;
  private readonly image = labNginxImage();

  constructor(scope: Construct, id: string, private readonly props: IotMeshProps) {
    super(scope, id);
    let tls: MeshTls | undefined;
    let activation: acmpca.CfnCertificateAuthorityActivation | undefined;
    if (props.meshTls) {
      [this.certificateAuthority, activation] = createShortLivedRootCa(this);
      tls = MeshTls.privateCa({ certificateAuthorityArn: this.certificateAuthority.attrArn });
    }
    this.mesh = new ServiceMesh(this, 'Mesh', {
      vpc: props.vpc,
      namespaceName: MESH_NAMESPACE,
      tls,
      removalPolicy: RemovalPolicy.DESTROY,
      alarmTopic: props.alarmTopic,
      encryptionKey: props.encryptionKey,
    });

    this.analyticsService = this.service('AnalyticsService', 'analytics-service', ANALYTICS_SERVICE_CONF, { perRequestTimeout: Duration.seconds(10) });
    this.dataService = this.service('DataService', 'data-service', DATA_SERVICE_CONF, {});
    this.deviceService = this.service('DeviceService', 'device-service', deviceServiceConf('a', props.deviceServiceVersion), {
      publicLoadBalancer: true,
      deployment: Deployment.canary({ percent: 10, bake: Duration.minutes(5), testTrafficHeader: { name: CANARY_TEST_HEADER, value: 'true' } }),
      productionRulePriority: PRODUCTION_RULE_PRIORITY,
    });
    // The A/B variant: one task is enough to show header routing (documented in the guide).
    this.deviceServiceB = this.service('DeviceServiceB', 'device-service-b', deviceServiceConf('b', props.deviceServiceVersion), {
      autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 60 },
    });
    this.deviceService.connectTo(this.dataService);
    this.deviceService.connectTo(this.analyticsService);
    this.deviceServiceB.connectTo(this.dataService);
    this.deviceServiceB.connectTo(this.analyticsService);
    this.dataService.connectTo(this.analyticsService);
    this.variantBTargetGroup = this.routeVariantB();
    acknowledgeImageAssetPull(this.services);
    // A CA issues certificates only once active: no service may start before that.
    if (activation) for (const s of this.services) s.service.node.addDependency(activation);
  }

  /** Every service of the mesh, front door first. */
  public get services(): MeshedFargateService[] {
    return [this.deviceService, this.deviceServiceB, this.dataService, this.analyticsService];
  }

  private service(id: string, serviceName: string, nginxConf: string, options: Partial<MeshedFargateServiceProps>): MeshedFargateService {
    return new MeshedFargateService(this, id, {
      mesh: this.mesh,
      serviceName,
      ...nginxServiceProps(this.image, nginxConf),
      cpu: 256,
      memoryLimitMiB: 512,
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      autoscaling: { minCapacity: 2, maxCapacity: 4, cpuTarget: 60 },
      perRequestTimeout: Duration.seconds(5),
      alarmTopic: this.props.alarmTopic,
      ...options,
    });
  }

  /** `x-ab-variant: b` reaches device-service-b, ahead of the production rule the canary moves. */
  private routeVariantB(): elbv2.ApplicationTargetGroup {
    const b = this.deviceServiceB;
    const listener = this.deviceService.listener!;
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'VariantBTargets', {
      vpc: this.props.vpc,
      port: SERVICE_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [b.service.loadBalancerTarget({ containerName: b.container.containerName, containerPort: SERVICE_PORT })],
      healthCheck: { path: '/health', healthyHttpCodes: '200' },
      deregistrationDelay: Duration.seconds(30),
    });
    listener.addTargetGroups('VariantB', {
      priority: AB_RULE_PRIORITY,
      conditions: [elbv2.ListenerCondition.httpHeader(AB_HEADER, ['b'])],
      targetGroups: [targetGroup],
    });
    for (const sg of this.deviceService.loadBalancer!.connections.securityGroups) {
      b.securityGroup.addIngressRule(sg, ec2.Port.tcp(SERVICE_PORT), 'A/B route: the device-service ALB to device-service-b');
    }
    return targetGroup;
  }
}

/**
 * A root CA in short-lived certificate mode (7-day certificates, which ECS recommends for
 * Service Connect TLS and which cost less per certificate), its self-signed certificate and
 * its activation. Destroyed with the stack (a deleted CA can be restored for 7 days).
 */
function createShortLivedRootCa(scope: Construct): [acmpca.CfnCertificateAuthority, acmpca.CfnCertificateAuthorityActivation] {
  const ca = new acmpca.CfnCertificateAuthority(scope, 'MeshCa', {
    type: 'ROOT',
    keyAlgorithm: 'EC_prime256v1',
    signingAlgorithm: 'SHA256WITHECDSA',
    usageMode: 'SHORT_LIVED_CERTIFICATE',
    subject: { commonName: `${MESH_NAMESPACE} mesh root`, organization: 'cdk-service-integration IoT lab' },
  });
  ca.applyRemovalPolicy(RemovalPolicy.DESTROY);
  const certificate = new acmpca.CfnCertificate(scope, 'MeshCaCertificate', {
    certificateAuthorityArn: ca.attrArn,
    certificateSigningRequest: ca.attrCertificateSigningRequest,
    signingAlgorithm: 'SHA256WITHECDSA',
    templateArn: `arn:${Aws.PARTITION}:acm-pca:::template/RootCACertificate/V1`,
    validity: { type: 'YEARS', value: 10 },
  });
  const activation = new acmpca.CfnCertificateAuthorityActivation(scope, 'MeshCaActivation', {
    certificateAuthorityArn: ca.attrArn,
    certificate: certificate.attrCertificate,
    status: 'ACTIVE',
  });
  return [ca, activation];
}
