import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { CAFE_SCOPES, createCafeIdentity } from './cafe-identity';
import { addGatewayResponses } from './gateway-responses';
import { createLabCertificate, LabDomainOptions, mapLabDomain } from './lab-domain';
import { createLabDashboard, createOrdersErrorsAlarm } from './lab-monitoring';
import { LAB_STAGES, labStageProps, ROUTE_THROTTLING } from './lab-stages';
import { createMenuIntegrations } from './menu-integrations';
import { MENU_ITEM_SCHEMA, ORDER_SCHEMA } from './models';
import { ORDERS_SETTINGS_VARIABLE, OrdersSettings } from './orders-settings';
import { AlarmTopic, ApiAuth, AuthorizedApi, HandlerFunction } from '../../src';
import { bundledCode } from '../bundled-code';

/** Settings of the API Gateway lab. */
export interface ApiGatewayLabProps extends StackProps {
  /**
   * An email address subscribed to the lab's alarm topic (confirm the subscription mail).
   * @default - alarms go to the topic only
   */
  readonly alarmEmail?: string;
  /**
   * A custom domain with an ACM certificate (DNS validation in the hosted zone), base-path
   * mappings per stage and an alias record.
   * @default - no custom domain: the stages are reached on their execute-api URLs
   */
  readonly domain?: LabDomainOptions;
  /**
   * Turn on execution logs (dev INFO, staging and prod ERROR). They need the account-level
   * API Gateway CloudWatch role, which this stack does not create (it is a per-region
   * singleton other stacks may own).
   * @default false
   */
  readonly executionLogs?: boolean;
}

const CUSTOMER_INDEX = 'byCustomer';

/**
 * The API Gateway lab: a café REST API on AuthorizedApi with three stages (dev, staging,
 * prod) from one deployment. The menu is served by direct DynamoDB integrations with mapping
 * templates (v1 and a breaking v2), the orders by a Lambda function (proxy integrations);
 * tokens come from a Cognito user pool the stack creates (client-credentials clients with
 * scopes), usage plans meter the café app and a partner. The 0.5 GB cache runs on staging and
 * prod. Optional custom domain. Everything is deleted with the stack.
 */
export class ApiGatewayLabStack extends Stack {
  public readonly alarmTopic: sns.Topic;
  /** Encrypts the alarm topic and every log group of the lab. */
  public readonly encryptionKey: kms.IKey;
  public readonly userPool: cognito.UserPool;
  public readonly cafeClient: cognito.UserPoolClient;
  public readonly partnerClient: cognito.UserPoolClient;
  public readonly tokenDomain: cognito.UserPoolDomain;
  public readonly menuTable: dynamodb.Table;
  public readonly ordersTable: dynamodb.Table;
  public readonly ordersFunction: lambda.IFunction;
  public readonly api: AuthorizedApi;
  public readonly gatewayResponses: apigateway.GatewayResponse[];
  public readonly ordersErrorsAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;
  /** With `domain` only. */
  public readonly aliasRecord?: route53.ARecord;

  constructor(scope: Construct, id: string, props: ApiGatewayLabProps = {}) {
    super(scope, id, { description: 'cdk-service-integration: API Gateway lab (REST resources, Cognito scopes, mapping templates, validation, caching, stages, versions)', ...props });
    const removalPolicy = RemovalPolicy.DESTROY;

    // One customer-managed key (USD 1 a month) serves the whole lab: the alarm topic's key
    // also encrypts the API's access logs, the authorizer's and the orders function's logs.
    const alarms = new AlarmTopic(this, 'AlarmTopic', {
      displayName: 'API Gateway lab alarms',
      emailAddresses: props.alarmEmail ? [props.alarmEmail] : undefined,
      removalPolicy,
    });
    this.alarmTopic = alarms.topic;
    this.encryptionKey = alarms.encryptionKey;
    const identity = createCafeIdentity(this);
    this.userPool = identity.userPool;
    this.cafeClient = identity.cafeClient;
    this.partnerClient = identity.partnerClient;
    this.tokenDomain = identity.domain;

    this.menuTable = new dynamodb.Table(this, 'MenuTable', {
      partitionKey: { name: 'category', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'itemId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    this.ordersTable = new dynamodb.Table(this, 'OrdersTable', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    this.ordersTable.addGlobalSecondaryIndex({
      indexName: CUSTOMER_INDEX,
      partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
    });
    this.ordersFunction = this.createOrdersFunction();

    const domain = props.domain ? createLabCertificate(this, props.domain) : undefined;
    this.api = new AuthorizedApi(this, 'CafeApi', {
      apiName: 'cafe-api-lab',
      description: 'API Gateway lab: the café menu (direct DynamoDB, v1 and v2) and orders (Lambda)',
      // Only the two app clients' tokens are accepted; every caller belongs to the one café tenant.
      auth: ApiAuth.cognito(this.userPool, { userPoolClients: [this.cafeClient, this.partnerClient], fixedTenantId: 'cafe' }),
      ...labStageProps(props.executionLogs ?? false),
      cache: { size: '0.5', ttl: Duration.seconds(60) },
      // Writes get a tighter throttle than the stage's: menu edits are rare, orders bursty.
      routeThrottling: ROUTE_THROTTLING,
      tiers: [
        { name: 'cafe-app', rateLimit: 50, burstLimit: 100 },
        { name: 'partner', rateLimit: 2, burstLimit: 5, quotaPerDay: 1000 },
      ],
      authorizerCacheTtl: Duration.minutes(5),
      // A per-IP rate rule in front of every stage: a flood is cut before it reaches the authorizer.
      waf: { rateLimitPer5Minutes: 1000 },
      customDomain: domain ? { domainName: props.domain!.domainName, certificate: domain.certificate, stage: 'prod' } : undefined,
      alarmTopic: this.alarmTopic,
      logRetention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    this.addRoutes();
    if (!props.executionLogs) {
      NagSuppressions.addResourceSuppressions(this.api.stages, [{
        id: 'AwsSolutions-APIG6',
        reason: 'Execution logs need the account-wide API Gateway CloudWatch role, a per-region singleton this lab must not take over; every stage writes ' +
          'JSON access logs, and `-c executionLogs=true` turns execution logs on where the account has the role.',
      }]);
    }
    this.gatewayResponses = addGatewayResponses(this.api.restApi);

    if (domain && this.api.domainName) {
      const others = LAB_STAGES.filter((s) => s.name !== 'prod').map((s) => ({ name: s.name, stage: this.api.stages[this.api.stageNames.indexOf(s.name)] }));
      this.aliasRecord = mapLabDomain(this, this.api.domainName, this.api.restApi, others, domain.zone, props.domain!.domainName);
    }

    this.ordersErrorsAlarm = createOrdersErrorsAlarm(this, this.ordersFunction, this.alarmTopic);
    this.dashboard = createLabDashboard(this, 'cafe-api-lab', this.api.stageNames, [...this.api.alarms, this.ordersErrorsAlarm]);
    this.addOutputs(props.domain);
  }

  /** Every route is declared on the AuthorizedApi: the authorizer's policy covers exactly these. */
  private addRoutes(): void {
    const menu = createMenuIntegrations(this, this.menuTable);
    const category = { 'method.request.querystring.category': true };
    // Cached per caller and per category: AuthorizedApi keys the cache on the Authorization
    // header and on every declared parameter, so the category must be declared here.
    this.api.addRoute('GET', '/v1/menu', menu.listV1, {
      scopes: [CAFE_SCOPES.menuRead], cacheable: true, requestParameters: category, methodResponses: menu.listResponses, operationName: 'ListMenuV1',
    });
    this.api.addRoute('GET', '/v2/menu', menu.listV2, {
      scopes: [CAFE_SCOPES.menuRead], cacheable: true, requestParameters: category, methodResponses: menu.listResponses, operationName: 'ListMenuV2',
    });
    this.api.addRoute('POST', '/v1/menu', menu.create, {
      scopes: [CAFE_SCOPES.menuWrite], bodySchema: MENU_ITEM_SCHEMA, methodResponses: menu.createResponses, operationName: 'AddMenuItem',
    });

    const orders = new apigateway.LambdaIntegration(this.ordersFunction, { proxy: true });
    this.api.addRoute('POST', '/v1/orders', orders, {
      scopes: [CAFE_SCOPES.ordersWrite], bodySchema: ORDER_SCHEMA, requestParameters: { 'method.request.header.Idempotency-Key': true }, operationName: 'PlaceOrder',
    });
    this.api.addRoute('GET', '/v1/orders/{orderId}', orders, { scopes: [CAFE_SCOPES.ordersRead], operationName: 'GetOrder' });
    this.api.addRoute('GET', '/v1/customers/{customerId}/orders', orders, {
      scopes: [CAFE_SCOPES.ordersRead], requestParameters: { 'method.request.querystring.limit': false }, operationName: 'ListCustomerOrders',
    });
  }

  private createOrdersFunction(): lambda.IFunction {
    const handler = new HandlerFunction(this, 'Orders', {
      code: bundledCode('examples/api-gateway/orders'),
      codeName: 'examples/api-gateway/orders',
      description: 'API Gateway lab orders API: place (idempotent), read and list café orders (Lambda proxy integration)',
      timeout: Duration.seconds(10),
      logRetention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: this.encryptionKey,
      environment: {
        [ORDERS_SETTINGS_VARIABLE]: this.toJsonString({
          ordersTable: this.ordersTable.tableName,
          customerIndex: CUSTOMER_INDEX,
        } satisfies OrdersSettings),
      },
    });
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resources: [this.ordersTable.tableArn] }));
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.ordersTable.tableArn}/index/${CUSTOMER_INDEX}`] }));
    const reason = 'Invoked only by API Gateway, synchronously: a failure is returned to the caller as 502 and nothing is queued.';
    NagSuppressions.addResourceSuppressions(handler.function, [
      { id: 'Serverless-LambdaDLQ', reason },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason },
    ]);
    return handler.function;
  }

  private addOutputs(domain: LabDomainOptions | undefined): void {
    this.api.stages.forEach((stage, i) => new CfnOutput(this, `Url${i}`, {
      value: stage.urlForPath('/'),
      description: `Base URL of stage ${this.api.stageNames[i]}`,
    }));
    if (domain) new CfnOutput(this, 'CustomDomainUrl', { value: `https://${domain.domainName}/`, description: 'prod at the root, dev/ and staging/ below it' });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.tokenDomain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'CafeClientId', { value: this.cafeClient.userPoolClientId, description: 'Every cafe/ scope' });
    new CfnOutput(this, 'PartnerClientId', { value: this.partnerClient.userPoolClientId, description: 'cafe/menu.read only' });
    this.api.apiKeys.forEach((key, i) => new CfnOutput(this, `ApiKeyId${i}`, { value: key.keyId, description: `API key of usage plan ${['cafe-app', 'partner'][i]}` }));
    new CfnOutput(this, 'MenuTableName', { value: this.menuTable.tableName });
    new CfnOutput(this, 'AccessLogGroup', { value: this.api.accessLogGroup.logGroupName });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }
}
