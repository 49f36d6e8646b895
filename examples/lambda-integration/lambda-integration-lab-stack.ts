import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { CafeEvents } from './cafe-events';
import { allowInvoke, cafeFunction, Invocation } from './cafe-functions';
import { CafeMonitoring } from './cafe-monitoring';
import {
  INVENTORY_SETTINGS_VARIABLE, MENU_IMPORT_SETTINGS_VARIABLE, MENU_SETTINGS_VARIABLE, MenuSettings, NOTIFICATIONS_SETTINGS_VARIABLE,
  NotificationsSettingsDocument, ORDER_STATUS_SETTINGS_VARIABLE, ORDER_STREAM_SETTINGS_VARIABLE, OrdersSettings, OrderStreamSettings,
  PAYMENTS_SETTINGS_VARIABLE, PaymentsSettings, PLACE_ORDER_SETTINGS_VARIABLE, PlaceOrderSettings, SALES_REPORT_SETTINGS_VARIABLE,
  SalesReportSettings, VALIDATE_ORDER_SETTINGS_VARIABLE,
} from './cafe-settings';
import { OrderStatusWorkflow } from './order-status-workflow';
import { APPROVAL_THRESHOLD_CENTS, OrderWorkflow } from './order-workflow';
import { AlarmTopic, ApiAuth, AuthorizedApi, CircuitBreakerFunction, CircuitTarget, FanoutQueue, FanoutTopic, HandlerFunction } from '../../src';

/** Settings of the Lambda serverless integration lab. */
export interface LambdaIntegrationLabProps extends StackProps {
  /**
   * Receives the approval link of every order over $100 (confirm the subscription mail).
   * @default - approval requests go to the approval inbox queue only
   */
  readonly approverEmail?: string;
  /**
   * Receives the lab's alarms (confirm the subscription mail).
   * @default - alarms go to the alarm topic only
   */
  readonly alarmEmail?: string;
  /**
   * Name of the café's event bus (one per account and region).
   * @default 'cafe'
   */
  readonly eventBusName?: string;
  /**
   * Execution environments kept initialized for POST /orders (provisioned concurrency,
   * billed per hour even when idle). 0 turns it off.
   * @default 0
   */
  readonly placeOrderProvisionedConcurrency?: number;
  /**
   * How long a large order waits for its manager before it is cancelled.
   * @default Duration.hours(1)
   */
  readonly approvalTimeout?: Duration;
}

const DESTROY = RemovalPolicy.DESTROY;

/**
 * The serverless café (seed 000's Lambda integration lab on seed 002's café story): an
 * authorized REST API places orders into DynamoDB; the table's stream announces them on
 * the `cafe` event bus; a STANDARD Step Functions saga validates, holds stock and money,
 * asks a manager about large orders, charges through a circuit breaker and notifies
 * through a fan-out topic; an EXPRESS workflow answers order-status requests; S3 uploads
 * import the menu and a schedule writes the daily sales report. Nothing runs while idle.
 */
export class LambdaIntegrationLabStack extends Stack {
  public readonly alarmTopic: sns.Topic;
  public readonly customers: cognito.UserPool;
  public readonly cliClient: cognito.UserPoolClient;
  public readonly ordersTable: dynamodb.Table;
  public readonly menuTable: dynamodb.Table;
  public readonly filesBucket: s3.Bucket;
  public readonly paymentBreaker: CircuitBreakerFunction;
  public readonly notifications: FanoutTopic;
  public readonly customerQueue: FanoutQueue;
  public readonly kitchenQueue: FanoutQueue;
  public readonly approvalInbox: sqs.Queue;
  public readonly orderWorkflow: OrderWorkflow;
  public readonly statusWorkflow: OrderStatusWorkflow;
  public readonly events: CafeEvents;
  public readonly streamFailureQueue: sqs.Queue;
  public readonly asyncFailureQueue: sqs.Queue;
  public readonly dailySalesReport: scheduler.Schedule;
  public readonly api: AuthorizedApi;
  public readonly monitoring: CafeMonitoring;
  /** Every lab function, by bundle name. */
  public readonly functions: Record<string, HandlerFunction>;
  /** The alias API Gateway calls for POST /orders when provisioned concurrency is on. */
  public readonly placeOrderAlias?: lambda.Alias;

  /** Known at synth (lower-case stack name, account, region) so policies and the S3 invoke permission can name it without a reference. */
  private get filesBucketName(): string {
    return `${this.stackName.toLowerCase()}-files-${this.account}-${this.region}`;
  }

  constructor(scope: Construct, id: string, props: LambdaIntegrationLabProps = {}) {
    super(scope, id, { description: 'cdk-service-integration: Lambda serverless integration lab (the serverless café)', ...props });
    const provisioned = validateProvisionedConcurrency(props.placeOrderProvisionedConcurrency);
    const alarms = new AlarmTopic(this, 'AlarmTopic', {
      displayName: 'Café lab alarms',
      emailAddresses: props.alarmEmail ? [props.alarmEmail] : undefined,
      removalPolicy: DESTROY,
    });
    this.alarmTopic = alarms.topic;

    // ---- Customers: a user pool the learner adds users to; the CLI client signs in with a password.
    this.customers = new cognito.UserPool(this, 'Customers', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.NONE,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      removalPolicy: DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.customers, [
      { id: 'AwsSolutions-COG2', reason: 'Lab customers are created by the learner with admin commands and sign in from the CLI; MFA is available (TOTP, optional) but not forced, so the exercises stay scriptable.' },
      { id: 'AwsSolutions-COG8', reason: 'The Plus feature plan (threat protection) is billed per monthly active user; the lab pool has a handful of learner-created users and no self sign-up.' },
    ]);
    this.cliClient = this.customers.addClient('CliClient', {
      authFlows: { userPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
    });

    // ---- Data: orders (with their change stream and an index by day) and the menu (with stock).
    this.ordersTable = new dynamodb.Table(this, 'OrdersTable', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: DESTROY,
    });
    this.ordersTable.addGlobalSecondaryIndex({
      indexName: 'ByDay',
      partitionKey: { name: 'orderDate', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['status', 'totalCents', 'lines'],
    });
    this.menuTable = new dynamodb.Table(this, 'MenuTable', {
      partitionKey: { name: 'sku', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: DESTROY,
    });

    // ---- Functions. Memory: user-facing 512 MB (CPU scales with memory: shorter cold starts),
    // workflow steps and consumers 256 MB, the stand-in provider 128 MB (no AWS client to load).
    // Each function gets its settings document in one variable (contracts: cafe-settings.ts).
    const fn = (name: string, description: string, memorySize: number, timeout: number, invocation: Invocation, settings?: [string, string]) =>
      cafeFunction(this, pascal(name), {
        bundle: name,
        description,
        memorySize,
        timeout: Duration.seconds(timeout),
        invocation,
        environment: settings ? { [settings[0]]: settings[1] } : {},
      });
    const json = (document: object) => this.toJsonString(document);
    const ordersTable = this.ordersTable.tableName;
    const menuTable = this.menuTable.tableName;
    const menu = fn('menu', 'GET /menu', 512, 10, 'synchronous', [MENU_SETTINGS_VARIABLE, json({ menuTable } satisfies MenuSettings)]);
    const placeOrder = fn('place-order', 'POST /orders: prices and stores an order', 512, 10, 'synchronous',
      [PLACE_ORDER_SETTINGS_VARIABLE, json({ menuTable, ordersTable } satisfies PlaceOrderSettings)]);
    const orderStatus = fn('order-status', 'Reads an order for its customer (EXPRESS workflow step)', 512, 10, 'synchronous',
      [ORDER_STATUS_SETTINGS_VARIABLE, json({ ordersTable } satisfies OrdersSettings)]);
    const validateOrder = fn('validate-order', 'Checks and claims an order (order workflow)', 256, 10, 'synchronous',
      [VALIDATE_ORDER_SETTINGS_VARIABLE, json({ ordersTable } satisfies OrdersSettings)]);
    const inventory = fn('inventory', 'Reserves, releases and commits stock (order workflow)', 256, 10, 'synchronous',
      [INVENTORY_SETTINGS_VARIABLE, json({ menuTable } satisfies MenuSettings)]);
    const paymentProvider = fn('payment-provider', 'Stand-in card payment provider (declines, flaky, outage on demand)', 128, 5, 'synchronous');
    const orderStream = fn('order-stream', 'Announces new orders and status changes on the café bus (DynamoDB Streams)', 256, 30, 'stream',
      [ORDER_STREAM_SETTINGS_VARIABLE, json({ eventBusName: props.eventBusName ?? 'cafe' } satisfies OrderStreamSettings)]);
    const menuImport = fn('menu-import', 'Imports menu CSV files uploaded to S3', 256, 60, 'asynchronous',
      [MENU_IMPORT_SETTINGS_VARIABLE, json({ menuTable } satisfies MenuSettings)]);
    this.filesBucket = this.createFilesBucket(menuImport.function);
    const salesReport = fn('sales-report', 'Writes the daily sales report to S3 (EventBridge Scheduler)', 512, 120, 'asynchronous', [
      SALES_REPORT_SETTINGS_VARIABLE,
      json({
        ordersTable, reportBucket: this.filesBucket.bucketName, approvalThresholdCents: APPROVAL_THRESHOLD_CENTS,
      } satisfies SalesReportSettings),
    ]);

    // Exactly the actions and items each function needs (Table.grant would add every index, Bucket.grantRead wildcard actions).
    const orders = this.ordersTable.tableArn;
    const menuItems = this.menuTable.tableArn;
    allow(placeOrder, ['dynamodb:PutItem', 'dynamodb:GetItem'], orders);
    allow(placeOrder, ['dynamodb:BatchGetItem'], menuItems);
    allow(menu, ['dynamodb:Scan'], menuItems);
    allow(orderStatus, ['dynamodb:GetItem'], orders);
    allow(validateOrder, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], orders);
    allow(inventory, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], menuItems);
    allow(menuImport, ['dynamodb:UpdateItem'], menuItems);
    allow(salesReport, ['dynamodb:Query'], `${orders}/index/ByDay`);
    // The bucket's ARN from its name, not a reference: the bucket depends on the import function (its notification).
    const filesArn = `arn:${this.partition}:s3:::${this.filesBucketName}`;
    allow(menuImport, ['s3:GetObject'], `${filesArn}/menu/*`);
    allow(salesReport, ['s3:PutObject'], `${filesArn}/reports/*`);
    for (const [handler, prefix] of [[menuImport, 'menu'], [salesReport, 'reports']] as const) {
      NagSuppressions.addResourceSuppressions(handler.role.node.tryFindChild('DefaultPolicy')!, [{
        id: 'AwsSolutions-IAM5',
        reason: `Object-level access under ${prefix}/ of the lab bucket: the objects are named by the uploader or the report date, so only a prefix can name them.`,
        appliesTo: [{ regex: `/^Resource::arn:<AWS::Partition>:s3:::.*-files-.*\\/${prefix}\\/\\*$/` }],
      }]);
    }

    // ---- The payment provider, only reachable through a fleet-wide circuit breaker.
    this.paymentBreaker = new CircuitBreakerFunction(this, 'PaymentBreaker', {
      target: CircuitTarget.lambda(paymentProvider.function),
      circuitName: 'payment-provider',
      callTimeout: Duration.seconds(3),
      tripRules: { consecutiveFailureThreshold: 3 },
      recovery: { openDuration: Duration.seconds(20) },
      alarmTopic: this.alarmTopic,
      removalPolicy: DESTROY,
    });
    const payments = fn('payments', 'Authorizes, charges and cancels payments through the circuit breaker (order workflow)', 256, 15, 'synchronous',
      [PAYMENTS_SETTINGS_VARIABLE, json({ breakerFunction: this.paymentBreaker.function.functionName } satisfies PaymentsSettings)]);
    allowInvoke(payments, this.paymentBreaker.function);

    // ---- Notifications: one topic, a queue per audience (the kitchen only gets paid orders).
    const notificationsFn = fn('notifications', 'Sends customer notifications and kitchen tickets (fan-out queues)', 256, 10, 'queue');
    this.notifications = new FanoutTopic(this, 'NotificationTopic', { alarmTopic: this.alarmTopic, removalPolicy: DESTROY });
    this.customerQueue = this.notifications.addQueue('Customer', { consumer: notificationsFn.function, maxReceiveCount: 3 });
    this.kitchenQueue = this.notifications.addQueue('Kitchen', {
      consumer: notificationsFn.function,
      maxReceiveCount: 3,
      filterPolicy: { eventType: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.completed'] }) },
    });
    notificationsFn.function.addEnvironment(NOTIFICATIONS_SETTINGS_VARIABLE,
      json({ kitchenQueueArn: this.kitchenQueue.queue.queueArn, maxReceiveCount: 3 } satisfies NotificationsSettingsDocument));

    // ---- The order workflow (STANDARD), with the manager's approval for orders over $100.
    // Where asynchronous work that failed for good waits for a human: S3/schedule invocations, undeliverable approval messages.
    this.asyncFailureQueue = failureQueue(this, 'AsyncFailures', 'on-failure destination of the asynchronous invocations and of undeliverable approval messages');
    this.approvalInbox = new sqs.Queue(this, 'ApprovalInbox', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(1) });
    NagSuppressions.addResourceSuppressions(this.approvalInbox, [
      { id: 'AwsSolutions-SQS3', reason: 'A mailbox the learner reads by hand (the approval links, when no email approver is set); nothing consumes it, so nothing is dead-lettered.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'A mailbox the learner reads by hand; there is no consumer whose failures would need a redrive.' },
    ]);
    this.orderWorkflow = new OrderWorkflow(this, 'OrderWorkflow', {
      validateOrder: validateOrder.function,
      inventory: inventory.function,
      payments: payments.function,
      ordersTable: this.ordersTable,
      notifications: this.notifications,
      approvers: props.approverEmail ? [props.approverEmail] : [],
      approvalSubscriptions: [
        new subscriptions.SqsSubscription(this.approvalInbox, { rawMessageDelivery: true, deadLetterQueue: this.asyncFailureQueue }),
      ],
      approvalTimeout: props.approvalTimeout ?? Duration.hours(1),
      alarmTopic: this.alarmTopic,
    });

    // ---- The café bus: OrderPlaced -> workflow, OrderStatusChanged -> notifications, archive, DLQ.
    this.events = new CafeEvents(this, 'CafeEvents', {
      eventBusName: props.eventBusName ?? 'cafe',
      orderWorkflow: this.orderWorkflow.stateMachine,
      notifications: this.notifications,
    });
    this.events.bus.grantPutEventsTo(orderStream.function);

    // ---- Stream trigger: small batches, bisect on error, retries, then the failure queue.
    this.streamFailureQueue = failureQueue(this, 'StreamFailures', 'on-failure destination of the orders stream mapping');
    orderStream.function.addEventSource(new eventSources.DynamoEventSource(this.ordersTable, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(1),
      reportBatchItemFailures: true,
      parallelizationFactor: 1,
      onFailure: new eventSources.SqsDlq(this.streamFailureQueue),
    }));

    // ---- Asynchronous triggers (S3 upload, schedule): one retry, then the on-failure destination.
    for (const asyncFn of [menuImport, salesReport]) {
      asyncFn.function.configureAsyncInvoke({
        onFailure: new destinations.SqsDestination(this.asyncFailureQueue),
        retryAttempts: 1,
        maxEventAge: Duration.hours(1),
      });
    }
    this.dailySalesReport = new scheduler.Schedule(this, 'DailySalesReport', {
      description: 'Yesterday\'s sales report, every night at 00:15 UTC',
      schedule: scheduler.ScheduleExpression.cron({ minute: '15', hour: '0' }),
      timeWindow: scheduler.TimeWindow.flexible(Duration.minutes(15)),
      target: new schedulerTargets.LambdaInvoke(salesReport.function, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.asyncFailureQueue,
      }),
    });
    // CDK's Scheduler target grants invoke on the function and its versions (ARN:*) to a role it creates.
    const schedulerPolicy = this.node.findAll().find((c) => c.node.path.includes('SchedulerRoleForTarget') && c.node.id === 'DefaultPolicy');
    if (schedulerPolicy) {
      NagSuppressions.addResourceSuppressions(schedulerPolicy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'CDK\'s Scheduler target grants lambda:InvokeFunction on the report function and its versions (ARN:*): versions of that one function only.',
        appliesTo: [`Resource::<${this.resolve((salesReport.function.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*`],
      }]);
    }

    // ---- The API: Cognito tokens verified by the library's authorizer; reads of an order through the EXPRESS workflow.
    // The API, given the alarm key for its logs, lets CloudWatch Logs use it: the status workflow's log shares it.
    this.statusWorkflow = new OrderStatusWorkflow(this, 'OrderStatusWorkflow', { reader: orderStatus.function, encryptionKey: alarms.encryptionKey });
    this.api = new AuthorizedApi(this, 'CafeApi', {
      encryptionKey: alarms.encryptionKey,
      auth: ApiAuth.cognito(this.customers, { userPoolClients: [this.cliClient], fixedTenantId: 'cafe', tokenUse: 'access' }),
      stages: ['lab'],
      throttling: { rateLimit: 20, burstLimit: 40 },
      // Execution logs need the account-wide API Gateway role a lab must not overwrite; access logs record every request.
      executionLogLevel: apigateway.MethodLoggingLevel.OFF,
      description: 'The café: menu, orders and order status',
      alarmTopic: this.alarmTopic,
      removalPolicy: DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.api.stages[0], [
      { id: 'AwsSolutions-APIG6', reason: 'Execution logging needs the account-wide API Gateway CloudWatch role, which a lab must not create or overwrite; JSON access logs record every request, and tracing is on.' },
      { id: 'AwsSolutions-APIG3', reason: 'A web ACL is billed monthly while the lab idles; every route needs a Cognito token verified by the authorizer, the stage throttles at 20 requests/s, and AuthorizedApi can add WAF (prop waf).' },
    ]);
    if (provisioned > 0) {
      this.placeOrderAlias = new lambda.Alias(this, 'PlaceOrderLive', {
        aliasName: 'live',
        version: placeOrder.function.currentVersion,
        provisionedConcurrentExecutions: provisioned,
      });
    }
    this.api.addRoute('GET', '/menu', new apigateway.LambdaIntegration(menu.function), { operationName: 'getMenu' });
    this.api.addRoute('POST', '/orders', new apigateway.LambdaIntegration(this.placeOrderAlias ?? placeOrder.function), {
      operationName: 'placeOrder',
      bodySchema: ORDER_BODY_SCHEMA,
      requestParameters: { 'method.request.header.Idempotency-Key': false },
    });
    this.api.addRoute('GET', '/orders/{orderId}', this.statusWorkflow.integration(), {
      operationName: 'getOrderStatus',
      requestParameters: { 'method.request.path.orderId': true },
      methodResponses: OrderStatusWorkflow.METHOD_RESPONSES,
    });

    this.functions = { menu, placeOrder, orderStatus, validateOrder, inventory, payments, paymentProvider, orderStream, menuImport, salesReport };
    this.functions.notifications = notificationsFn;
    this.monitoring = new CafeMonitoring(this, 'Monitoring', {
      alarmTopic: this.alarmTopic,
      api: this.api,
      orderWorkflow: this.orderWorkflow.stateMachine,
      statusWorkflow: this.statusWorkflow.stateMachine,
      paymentBreaker: this.paymentBreaker,
      hotPathFunctions: [placeOrder, menu, orderStatus, validateOrder, inventory, payments, paymentProvider, orderStream, notificationsFn]
        .map((h) => h.function).concat(this.paymentBreaker.function),
      failureQueues: {
        EventDeadLetters: this.events.deadLetterQueue,
        StreamFailures: this.streamFailureQueue,
        AsyncFailures: this.asyncFailureQueue,
      },
      alarmedParts: [this.api, this.orderWorkflow.approval, this.paymentBreaker, this.notifications],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.stages[0].urlForPath('/'), description: 'Base URL of the café API (stage lab)' });
    new CfnOutput(this, 'UserPoolId', { value: this.customers.userPoolId });
    new CfnOutput(this, 'CliClientId', { value: this.cliClient.userPoolClientId });
    new CfnOutput(this, 'FilesBucketName', { value: this.filesBucket.bucketName, description: 'Upload menu/<name>.csv here; reports/ holds the daily sales reports' });
    new CfnOutput(this, 'OrdersTableName', { value: this.ordersTable.tableName });
    new CfnOutput(this, 'MenuTableName', { value: this.menuTable.tableName });
    new CfnOutput(this, 'OrderWorkflowArn', { value: this.orderWorkflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'StatusWorkflowArn', { value: this.statusWorkflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'StatusWorkflowLogGroup', { value: this.statusWorkflow.logGroup.logGroupName });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.events.bus.eventBusArn });
    new CfnOutput(this, 'ArchiveArn', { value: this.events.archive.archiveArn, description: 'Replay source: every cafe.orders event of the last 7 days' });
    new CfnOutput(this, 'OrderPlacedRuleArn', { value: this.events.orderPlacedRule.ruleArn, description: 'Replay only to the workflow rule with --destination FilterArns=<this>' });
    new CfnOutput(this, 'ApprovalInboxUrl', { value: this.approvalInbox.queueUrl });
    new CfnOutput(this, 'StreamFailureQueueUrl', { value: this.streamFailureQueue.queueUrl });
    new CfnOutput(this, 'AsyncFailureQueueUrl', { value: this.asyncFailureQueue.queueUrl });
    new CfnOutput(this, 'EventDeadLetterQueueUrl', { value: this.events.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'NotificationsLogGroup', { value: notificationsFn.logGroup.logGroupName });
    new CfnOutput(this, 'PaymentBreakerFunction', { value: this.paymentBreaker.function.functionName });
    new CfnOutput(this, 'SalesReportFunction', { value: salesReport.function.functionName });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }

  /**
   * The bucket for menu uploads and reports. S3 invokes the import function natively
   * (NotificationConfiguration), without CDK's notification custom resource: the bucket
   * gets a name known at synth so the invoke permission can name it without a cycle.
   */
  private createFilesBucket(importer: lambda.IFunction): s3.Bucket {
    const bucketName = this.filesBucketName;
    const sourceArn = `arn:${this.partition}:s3:::${bucketName}`;
    const permission = new lambda.CfnPermission(this, 'MenuUploadInvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: importer.functionArn,
      principal: 's3.amazonaws.com',
      sourceArn,
      sourceAccount: this.account,
    });
    const bucket = new s3.Bucket(this, 'Files', {
      bucketName,
      // SSE-KMS with the account's aws/s3 key: KMS-logged access, and S3 decrypts for any reader the bucket policy allows.
      encryption: s3.BucketEncryption.KMS_MANAGED,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        { prefix: 'reports/', expiration: Duration.days(30) },
        { noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: DESTROY,
      autoDeleteObjects: true,
    });
    const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = {
      lambdaConfigurations: [{
        event: 's3:ObjectCreated:*',
        function: importer.functionArn,
        filter: { s3Key: { rules: [{ name: 'prefix', value: 'menu/' }, { name: 'suffix', value: '.csv' }] } },
      }],
    };
    cfnBucket.addDependency(permission);
    NagSuppressions.addResourceSuppressions(bucket, [{
      id: 'AwsSolutions-S1',
      reason: 'A lab bucket for menu uploads and generated reports, deleted with the stack: object access is recorded by CloudTrail data events when '
        + 'the account enables them; a server-access-log bucket would be one more bucket to empty and delete for no lab exercise.',
    }]);
    return bucket;
  }
}

/** API Gateway rejects a malformed order (400) before the function runs; the function checks again, naming every problem. */
const ORDER_BODY_SCHEMA: apigateway.JsonSchema = {
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['items', 'paymentToken'],
  additionalProperties: false,
  properties: {
    items: {
      type: apigateway.JsonSchemaType.ARRAY,
      minItems: 1,
      maxItems: 20,
      items: {
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['sku', 'quantity'],
        additionalProperties: false,
        properties: {
          sku: { type: apigateway.JsonSchemaType.STRING, pattern: '^[a-z0-9][a-z0-9-]{0,39}$' },
          quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: 20 },
        },
      },
    },
    paymentToken: { type: apigateway.JsonSchemaType.STRING, pattern: '^tok_[a-z0-9_]{1,40}$' },
  },
};

/** A queue where failed events wait for a human: encrypted, kept 14 days, alarmed by the monitoring. */
function failureQueue(scope: Construct, id: string, what: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  NagSuppressions.addResourceSuppressions(queue, [
    { id: 'AwsSolutions-SQS3', reason: `This queue is the ${what}: it is the last stop of failed events, alarmed on its first message.` },
    { id: 'Serverless-SQSRedrivePolicy', reason: `This queue is the ${what}: its messages are inspected and re-sent by hand (see the guide).` },
  ]);
  return queue;
}

function validateProvisionedConcurrency(value: number | undefined): number {
  if (value === undefined || Token.isUnresolved(value)) return value ?? 0;
  if (!Number.isInteger(value) || value < 0 || value > 50) {
    throw new Error(`LambdaIntegrationLab: placeOrderProvisionedConcurrency must be an integer between 0 (off) and 50, got ${value}`);
  }
  return value;
}

function allow(handler: HandlerFunction, actions: string[], resource: string): void {
  handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
}

function pascal(name: string): string {
  return name.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
