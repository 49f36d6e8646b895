import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { accessLogGroup, accessLogLine } from './access-logs';
import { IotIdentity } from './identity';
import { KinesisPutRecordIntegration } from './kinesis-put-record-integration';

export interface TelemetryIngestProps {
  readonly stream: kinesis.IStream;
  readonly identity: IotIdentity;
  readonly encryptionKey: kms.IKey;
  /** Only the custom domain may reach the API (mutual TLS). */
  readonly disableExecuteApiEndpoint: boolean;
}

/** The stage's throttle: it bounds what a flood can cost (HTTP APIs have no usage plans and no WAF). */
export const TELEMETRY_THROTTLE = { rateLimit: 100, burstLimit: 200 };

/**
 * The telemetry HTTP API: `POST /telemetry` with a device's Cognito ID token (a JWT
 * authorizer accepting only the device app client) goes straight into the Kinesis stream,
 * partitioned by the token's subject. The body's claims about identity count for nothing:
 * the consumer maps the subject to the registry's tenant and device.
 */
export class TelemetryIngest extends Construct {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly route: apigwv2.HttpRoute;
  /** The role API Gateway writes records with. */
  public readonly integrationRole: iam.Role;
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TelemetryIngestProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'IoT platform telemetry ingestion (JWT, straight to Kinesis)',
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
    });
    this.accessLogs = accessLogGroup(this, 'AccessLogs', props.encryptionKey);
    this.stage = new apigwv2.HttpStage(this, 'Prod', {
      httpApi: this.api,
      stageName: 'prod',
      autoDeploy: true,
      throttle: TELEMETRY_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(accessLogLine({ principal: '$context.authorizer.claims.sub' }, { routeKey: '$context.routeKey' })),
      },
    });
    this.integrationRole = new iam.Role(this, 'PutRecordRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes telemetry records to the IoT stream (PutRecord only)',
    });
    const authorizer = new authorizers.HttpJwtAuthorizer('DeviceJwt', props.identity.issuer, {
      jwtAudience: [props.identity.deviceClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    [this.route] = this.api.addRoutes({
      path: '/telemetry',
      methods: [apigwv2.HttpMethod.POST],
      integration: new KinesisPutRecordIntegration('PutRecord', {
        stream: props.stream,
        role: this.integrationRole,
        partitionKey: '$context.authorizer.claims.sub',
      }),
      authorizer,
    });
  }
}
