import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cloudmap from 'aws-cdk-lib/aws-servicediscovery';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MeshTls } from './mesh-tls';
import { ServiceMeshProps } from './service-mesh-props';
import { validateServiceMeshProps } from './service-mesh-validation';
import { createEncryptionKey, createLogGroup, DEFAULT_LOG_RETENTION, withoutSnapshot } from '../core/defaults';
import { acknowledgeNagFindings } from '../core/nag';

/**
 * An ECS Service Connect mesh: an ECS cluster (Container Insights, FARGATE and
 * FARGATE_SPOT capacity providers, audited ECS Exec) whose default Cloud Map HTTP
 * namespace is used for Service Connect. MeshedFargateServices join it and reach each
 * other at `http://<serviceName>:<port>`. This replaces an App Mesh mesh.
 */
export class ServiceMesh extends Construct {
  /** The ECS cluster the services run in. */
  public readonly cluster: ecs.Cluster;
  /** The Cloud Map HTTP namespace used for Service Connect. */
  public readonly namespace: cloudmap.INamespace;
  /** The VPC of the cluster. */
  public readonly vpc: ec2.IVpc;
  /** Service Connect TLS settings, when TLS is on. */
  public readonly tls?: MeshTls;
  /** The ECS infrastructure role that manages TLS certificates, when TLS is on. */
  public readonly tlsRole?: iam.IRole;
  /** Whether services write Service Connect access logs. */
  public readonly accessLogs: boolean;
  /** Log group receiving ECS Exec session output (an audit trail of interactive commands). */
  public readonly executeCommandLogGroup: logs.LogGroup;
  /** Retention services use for their log groups. */
  public readonly logRetention: logs.RetentionDays;
  /** Removal policy services use for their log groups. */
  public readonly removalPolicy: RemovalPolicy;
  /** The key encrypting the log groups of the mesh and its services: `encryptionKey`, or the one the mesh created. */
  public readonly encryptionKey: kms.IKey;
  /** Topic services' alarms notify by default, if any. */
  public readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: ServiceMeshProps) {
    super(scope, id);
    validateServiceMeshProps(this, props);

    this.vpc = props.vpc;
    this.tls = props.tls;
    this.accessLogs = props.accessLogs ?? true;
    this.logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;
    this.removalPolicy = withoutSnapshot(props.removalPolicy);
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the log groups of the mesh ${this.node.path} and its services`,
      removalPolicy: this.removalPolicy,
    });
    this.alarmTopic = props.alarmTopic;

    this.executeCommandLogGroup = createLogGroup(this, 'ExecuteCommandLogs', {
      retention: this.logRetention,
      removalPolicy: this.removalPolicy,
      encryptionKey: this.encryptionKey,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName,
      containerInsightsV2: props.containerInsights ?? ecs.ContainerInsights.ENHANCED,
      enableFargateCapacityProviders: true,
      defaultCloudMapNamespace: {
        name: props.namespaceName,
        type: cloudmap.NamespaceType.HTTP,
        useForServiceConnect: true,
      },
      executeCommandConfiguration: {
        logging: ecs.ExecuteCommandLogging.OVERRIDE,
        logConfiguration: {
          cloudWatchLogGroup: this.executeCommandLogGroup,
          cloudWatchEncryptionEnabled: this.encryptionKey !== undefined,
        },
      },
    });
    this.namespace = this.cluster.defaultCloudMapNamespace!;

    if (props.tls) {
      this.tlsRole = props.tls.role ?? this.createTlsRole();
    }
  }

  /** Service Connect TLS settings for one service, or undefined when TLS is off. */
  public serviceConnectTls(): ecs.ServiceConnectTlsConfiguration | undefined {
    if (!this.tls) return undefined;
    return {
      awsPcaAuthorityArn: this.tls.certificateAuthorityArn,
      kmsKey: this.tls.kmsKey,
      role: this.tlsRole,
    };
  }

  private createTlsRole(): iam.Role {
    const role = new iam.Role(this, 'TlsInfrastructureRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'Lets ECS issue and rotate Service Connect TLS certificates from AWS Private CA',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity'),
      ],
    });
    acknowledgeNagFindings(role, [{
      id: 'AwsSolutions-IAM4',
      reason: 'AWS documents this managed policy as the permission set of the ECS infrastructure role for Service Connect TLS; '
        + 'it is scoped by AWS to ECS-tagged secrets and Private CA certificates and follows service changes.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity'],
    }]);
    return role;
  }
}
