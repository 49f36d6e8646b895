import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { createDataEventTrail, createDeviceBucket, createRestWebAcl } from './audit';
import { aliasRecord, createDomainParts, mapIngestDomain } from './custom-domain';
import { TelemetryPipeline } from './data-path';
import { IotTables } from './data-tables';
import { DeviceApi } from './device-api';
import { DeviceCommands } from './device-commands';
import { IotIdentity } from './identity';
import { IotPlatformSettings } from './lab-settings';
import { IotMesh } from './mesh-services';
import { createIotNetwork } from './network';
import { createPlatformAlarms } from './observability';
import { DEFAULT_DEVICE_SERVICE_VERSION } from './service-configs';
import { TelemetryIngest } from './telemetry-ingest';
import { AlarmTopic } from '../../src';

export interface IotPlatformProps extends StackProps, IotPlatformSettings {
  /** device-service's version string; the canary exercise deploys a new one. @default 'v1' */
  readonly deviceServiceVersion?: string;
}

/**
 * The IoT platform exercise (seed 004) as one deployable stack: device, data and analytics
 * services in a Service Connect mesh (`iot-platform.local`), a REST API for device
 * management (v1/v2, per-tenant usage plans), an HTTP API writing telemetry straight into
 * Kinesis, a WebSocket API for device commands, the telemetry data path into per-tenant
 * DynamoDB keys and a FanoutTopic of analytics events, with alarms on an encrypted incident
 * topic. Opt-ins (mesh TLS, custom domain with mutual TLS, CloudTrail data events) are off
 * by default; everything is destroyed with the stack.
 */
export class IotPlatformStack extends Stack {
  /** The incident topic every alarm notifies; its key also encrypts the lab's logs, stream and queues. */
  public readonly incidentTopic: sns.Topic;
  public readonly encryptionKey: kms.IKey;
  public readonly vpc: ec2.Vpc;
  public readonly tables: IotTables;
  public readonly identity: IotIdentity;
  public readonly mesh: IotMesh;
  public readonly pipeline: TelemetryPipeline;
  public readonly ingest: TelemetryIngest;
  public readonly commands: DeviceCommands;
  public readonly deviceApi: DeviceApi;
  public readonly deviceBucket: s3.Bucket;
  public readonly webAcl?: wafv2.CfnWebACL;
  public readonly alarms: cloudwatch.IAlarm[];
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: IotPlatformProps = {}) {
    super(scope, id, { description: 'cdk-service-integration: IoT platform exercise (mesh, REST/HTTP/WebSocket APIs, Kinesis telemetry, tenant isolation)', ...props });
    const incidents = new AlarmTopic(this, 'IncidentTopic', {
      displayName: 'IoT platform incidents',
      emailAddresses: props.alarmEmail ? [props.alarmEmail] : undefined,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.incidentTopic = incidents.topic;
    this.encryptionKey = incidents.encryptionKey;
    const alarmTopic = this.incidentTopic;
    const encryptionKey = this.encryptionKey;

    this.vpc = createIotNetwork(this, encryptionKey);
    this.tables = new IotTables(this, 'Tables');
    this.identity = new IotIdentity(this, 'Identity');
    this.deviceBucket = createDeviceBucket(this);
    this.mesh = new IotMesh(this, 'Services', {
      vpc: this.vpc, alarmTopic, encryptionKey, meshTls: props.meshTls ?? false,
      deviceServiceVersion: props.deviceServiceVersion ?? DEFAULT_DEVICE_SERVICE_VERSION,
    });

    const domain = props.domain ? createDomainParts(this, props.domain, this.deviceBucket) : undefined;
    const disableExecuteApiEndpoint = domain !== undefined;
    this.pipeline = new TelemetryPipeline(this, 'Telemetry', { tables: this.tables, encryptionKey, alarmTopic });
    this.ingest = new TelemetryIngest(this, 'Ingest', { stream: this.pipeline.stream, identity: this.identity, encryptionKey, disableExecuteApiEndpoint });
    this.commands = new DeviceCommands(this, 'Commands', { tables: this.tables, identity: this.identity, encryptionKey });
    this.pipeline.wireAlertNotifier(this.tables.connections, this.commands.stage);

    if (props.waf ?? true) this.webAcl = createRestWebAcl(this);
    this.deviceApi = new DeviceApi(this, 'Devices', {
      tables: this.tables,
      identity: this.identity,
      deviceService: this.mesh.deviceService,
      commandsStage: this.commands.stage,
      encryptionKey,
      alarmTopic,
      webAclArn: this.webAcl?.attrArn,
      customDomain: domain && props.domain ? { domainName: props.domain.domainName, certificate: domain.certificate, stage: 'prod', mtls: domain.mtls } : undefined,
      disableExecuteApiEndpoint,
      partnerKeySha256: props.partnerKeySha256,
    });
    if (domain && props.domain) {
      if (domain.truststoreUpload) this.deviceApi.api.domainName!.node.addDependency(domain.truststoreUpload);
      aliasRecord(this, 'ApiAliasRecord', domain.zone, props.domain.domainName, new route53Targets.ApiGatewayDomain(this.deviceApi.api.domainName!));
      mapIngestDomain(this, domain, this.ingest.api, this.ingest.stage);
    }
    if (props.auditDataEvents) createDataEventTrail(this, { registryTableArn: this.tables.registry.tableArn, deviceBucket: this.deviceBucket });

    const platformAlarms = createPlatformAlarms(this, {
      topic: alarmTopic, pipeline: this.pipeline, ingest: this.ingest, commands: this.commands, tables: this.tables,
      deviceApiFunction: this.deviceApi.handler,
    });
    this.alarms = [
      ...platformAlarms,
      ...this.mesh.services.flatMap((s) => s.alarms),
      ...this.deviceApi.api.alarms,
      ...this.deviceApi.statusBreaker.alarms,
      ...this.pipeline.analyticsEvents.alarms,
    ];
    this.dashboard = this.createDashboard();
    this.outputs(props);
  }

  private createDashboard(): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: undefined });
    const { pipeline } = this;
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Telemetry in (records)', left: [pipeline.stream.metricIncomingRecords({ statistic: 'Sum' })] }),
      new cloudwatch.GraphWidget({ title: 'Consumer lag (iterator age, ms)', left: [pipeline.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum' })] }),
      new cloudwatch.GraphWidget({ title: 'Rejected telemetry (queue depth)', left: [pipeline.rejectedQueue.metricApproximateNumberOfMessagesVisible()] }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'device-service circuit (0 closed, 1 half-open, 2 open)', left: [this.deviceApi.statusBreaker.metricCircuitState()] }),
      new cloudwatch.GraphWidget({ title: 'Running tasks per service', left: this.mesh.services.map((s) => s.metricRunningTaskCount({ label: s.serviceName })) }),
      new cloudwatch.GraphWidget({
        title: 'WebSocket connects and messages',
        left: ['ConnectCount', 'MessageCount'].map((metricName) => new cloudwatch.Metric({
          namespace: 'AWS/ApiGateway', metricName, statistic: 'Sum', dimensionsMap: { ApiId: this.commands.api.apiId, Stage: this.commands.stage.stageName },
        })),
      }),
    );
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    return dashboard;
  }

  private outputs(props: IotPlatformProps): void {
    const output = (id: string, value: string, description?: string) => new CfnOutput(this, id, { value, description });
    output('RestApiUrl', props.domain ? `https://${props.domain.domainName}/` : this.deviceApi.api.restApi.urlForPath('/'), 'Device management (v1, v2): Authorization: <operator ID token>');
    output('TelemetryUrl', props.domain ? `https://ingest.${props.domain.domainName}/telemetry` : `${this.ingest.stage.url}telemetry`, 'POST telemetry with a device ID token');
    output('CommandsUrl', this.commands.stage.url, 'wss:// command channel (Authorization header on connect)');
    output('DeviceServiceUrl', `http://${this.mesh.deviceService.loadBalancer!.loadBalancerDnsName}`, 'The mesh front door (A/B: x-ab-variant: b)');
    output('UserPoolId', this.identity.userPool.userPoolId);
    output('DeviceClientId', this.identity.deviceClient.userPoolClientId);
    output('OperatorClientId', this.identity.operatorClient.userPoolClientId);
    output('ClusterName', this.mesh.mesh.cluster.clusterName);
    output('DeviceServiceName', this.mesh.deviceService.service.serviceName);
    output('TelemetryStreamName', this.pipeline.stream.streamName);
    output('RejectedTelemetryQueueUrl', this.pipeline.rejectedQueue.queueUrl);
    output('ReadingsTable', this.tables.readings.tableName);
    output('RegistryTable', this.tables.registry.tableName);
    output('RestApiId', this.deviceApi.api.restApi.restApiId);
    output('IncidentTopicArn', this.incidentTopic.topicArn);
    output('DashboardName', this.dashboard.dashboardName);
  }
}
