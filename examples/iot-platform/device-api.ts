import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { BY_TENANT_INDEX, IotTables } from './data-tables';
import { DEVICE_API_SETTINGS_VARIABLE, DeviceApiSettings } from './device-api-settings';
import { IotIdentity } from './identity';
import { API_INVOKED_REASON, grantConnectionManagement, iotFunction } from './iot-function';
import {
  ApiAuth, ApiCustomDomainOptions, ApiKeyClient, ApiTenant, ApiTier, AuthorizedApi, CircuitBreakerFunction, CircuitTarget, Fallback, MeshedFargateService,
} from '../../src';

/** The tenants of the lab and the usage plan each is metered by. */
export const LAB_TENANTS: ApiTenant[] = [
  { tenantId: 'tenant-a', tier: 'basic' },
  { tenantId: 'tenant-b', tier: 'premium' },
];

/** basic: small enough to hit in the quota exercise; premium: 25 times more. */
export const USAGE_TIERS: ApiTier[] = [
  { name: 'basic', rateLimit: 2, burstLimit: 4, quotaPerDay: 500 },
  { name: 'premium', rateLimit: 50, burstLimit: 100, quotaPerDay: 100_000 },
];

export interface DeviceApiProps {
  readonly tables: IotTables;
  readonly identity: IotIdentity;
  readonly deviceService: MeshedFargateService;
  readonly commandsStage: apigwv2.WebSocketStage;
  readonly encryptionKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
  /** The REST web ACL, when WAF is on. */
  readonly webAclArn?: string;
  readonly customDomain?: ApiCustomDomainOptions;
  readonly disableExecuteApiEndpoint: boolean;
  /** A partner's API key (SHA-256 only), for tenant-b. */
  readonly partnerKeySha256?: string;
}

const DEVICE_ID_SCHEMA: apigateway.JsonSchema = { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' };
const V1_REGISTRATION: apigateway.JsonSchema = {
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['deviceId'],
  additionalProperties: false,
  properties: { deviceId: DEVICE_ID_SCHEMA, name: { type: apigateway.JsonSchemaType.STRING, maxLength: 128 } },
};
/** v2's breaking change: a device must state its model and firmware. */
const V2_REGISTRATION: apigateway.JsonSchema = {
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['deviceId', 'model', 'firmwareVersion'],
  additionalProperties: false,
  properties: {
    deviceId: DEVICE_ID_SCHEMA,
    model: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 64 },
    firmwareVersion: { type: apigateway.JsonSchemaType.STRING, pattern: '^[0-9A-Za-z.+-]{1,32}$' },
    labels: { type: apigateway.JsonSchemaType.OBJECT, maxProperties: 10, additionalProperties: { type: apigateway.JsonSchemaType.STRING, maxLength: 64 } },
  },
};

/**
 * Device management: the REST API (AuthorizedApi: operators' Cognito ID tokens or a
 * partner's API key, per-tenant usage plans, v1 and v2), the device-api function behind
 * every route, the role it reaches the tables with (only the caller's tenant's keys), and
 * the circuit breaker in front of device-service for the status route.
 */
export class DeviceApi extends Construct {
  public readonly api: AuthorizedApi;
  public readonly handler: lambda.Function;
  /** Assumed per request with the session tag `tenantId`; DynamoDB only on keys led by that tenant. */
  public readonly tenantDataRole: iam.Role;
  public readonly statusBreaker: CircuitBreakerFunction;

  constructor(scope: Construct, id: string, props: DeviceApiProps) {
    super(scope, id);
    const { tables, identity, encryptionKey } = props;
    const removalPolicy = RemovalPolicy.DESTROY;

    this.statusBreaker = new CircuitBreakerFunction(this, 'DeviceServiceBreaker', {
      target: CircuitTarget.http(`http://${props.deviceService.loadBalancer!.loadBalancerDnsName}`),
      fallback: Fallback.staticResponse({ statusCode: 200, body: JSON.stringify({ connectivity: 'unknown', source: 'fallback' }) }),
      circuitName: 'device-service',
      tripRules: { failureRateThreshold: 50, minimumCalls: 5, consecutiveFailureThreshold: 3 },
      recovery: { openDuration: Duration.seconds(30) },
      callTimeout: Duration.seconds(3),
      removalPolicy,
      encryptionKey,
      alarmTopic: props.alarmTopic,
    });

    this.handler = iotFunction(this, 'Handler', {
      bundle: 'device-api',
      description: 'Registers, reads and decommissions devices of the caller\'s tenant (IoT platform REST API v1 and v2)',
      encryptionKey,
      settings: {}, // written below, once the tenant data role exists
      reasons: API_INVOKED_REASON,
    });
    this.tenantDataRole = this.createTenantDataRole(this.handler.role!, tables);
    this.handler.addEnvironment(DEVICE_API_SETTINGS_VARIABLE, Stack.of(this).toJsonString({
      registryTable: tables.registry.tableName,
      byTenantIndex: BY_TENANT_INDEX,
      readingsTable: tables.readings.tableName,
      tenantDataRoleArn: this.tenantDataRole.roleArn,
      userPoolId: identity.userPool.userPoolId,
      statusBreakerFunction: this.statusBreaker.function.functionName,
      connectionsTable: tables.connections.tableName,
      commandsCallbackUrl: props.commandsStage.callbackUrl,
    } satisfies DeviceApiSettings));
    this.handler.addToRolePolicy(new iam.PolicyStatement({
      actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser', 'cognito-idp:AdminDisableUser'],
      resources: [identity.userPool.userPoolArn],
    }));
    // Exactly the breaker's unqualified ARN (grantInvoke would add a `:*` version wildcard).
    this.handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.statusBreaker.function.functionArn] }));
    grantConnectionManagement(props.commandsStage, this.handler);

    const partnerClients: ApiKeyClient[] = props.partnerKeySha256
      ? [{ id: 'partner-b', keySha256: props.partnerKeySha256, tenantId: 'tenant-b' }]
      : [];
    this.api = new AuthorizedApi(this, 'Api', {
      apiName: 'iot-device-api',
      description: 'IoT platform device management (v1, v2): operators of a tenant manage that tenant\'s devices',
      // Operators' ID tokens (they carry custom:tenant_id); device tokens have another audience.
      auth: ApiAuth.cognito(identity.userPool, { userPoolClients: [identity.operatorClient], tokenUse: 'id', apiKeyClients: partnerClients }),
      // The usage plan follows the tenant of the verified credential: the authorizer returns the
      // tenant's own key, and a caller's x-api-key header counts for nothing.
      apiKeySource: apigateway.ApiKeySourceType.AUTHORIZER,
      tiers: USAGE_TIERS,
      tenants: LAB_TENANTS,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      throttling: { rateLimit: 100, burstLimit: 200 },
      authorizerCacheTtl: Duration.minutes(5),
      waf: props.webAclArn ? { webAclArn: props.webAclArn } : undefined,
      customDomain: props.customDomain,
      alarmTopic: props.alarmTopic,
      encryptionKey,
      removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.api.stages, [{
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logs need the account-wide API Gateway CloudWatch role, a per-region singleton this lab must not take over; the stage writes JSON access logs with the tenant and principal of every request.',
    }]);
    this.addRoutes();
  }

  private addRoutes(): void {
    const integration = new apigateway.LambdaIntegration(this.handler);
    const route = (method: string, path: string, bodySchema?: apigateway.JsonSchema) => this.api.addRoute(method, path, integration, { bodySchema });
    route('POST', '/v1/devices', V1_REGISTRATION);
    route('GET', '/v1/devices/{deviceId}');
    route('GET', '/v1/devices/{deviceId}/readings');
    route('GET', '/v1/devices/{deviceId}/status');
    route('POST', '/v2/devices', V2_REGISTRATION);
    route('GET', '/v2/devices');
    route('GET', '/v2/devices/{deviceId}');
    route('GET', '/v2/devices/{deviceId}/readings');
    route('DELETE', '/v2/devices/{deviceId}');
  }

  /**
   * The role every table call of device-api is made with. device-api assumes it per request
   * with the session tag `tenantId` from the authorizer, and IAM admits only keys led by
   * `T#<that tenant>#` (or the bare tenant id, the byTenant index's key): a bug that builds
   * another tenant's key is refused by IAM instead of leaking data. Tenant ids never contain
   * `#` or `*`, so tenant `a`'s prefix cannot match tenant `ab`'s keys.
   */
  private createTenantDataRole(caller: iam.IRole, tables: IotTables): iam.Role {
    const role = new iam.Role(this, 'TenantDataRole', {
      description: 'IoT device API: DynamoDB on one tenant\'s keys (session tag tenantId)',
      assumedBy: new iam.ArnPrincipal(caller.roleArn).withConditions({
        'StringLike': { 'aws:RequestTag/tenantId': '?*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId'] },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:TagSession'],
      principals: [new iam.ArnPrincipal(caller.roleArn)],
      conditions: { 'StringLike': { 'aws:RequestTag/tenantId': '?*' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId'] } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
      resources: [tables.readings.tableArn, tables.registry.tableArn, `${tables.registry.tableArn}/index/${BY_TENANT_INDEX}`, tables.connections.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#${aws:PrincipalTag/tenantId}#*', '${aws:PrincipalTag/tenantId}'] },
      },
    }));
    caller.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [role.roleArn] }));
    return role;
  }
}
