import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2Targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { INVENTORY_CONSUMER_SETTINGS_VARIABLE, InventoryConsumerSettingsDocument } from './inventory-consumer-settings';
import { NOTIFICATION_CONSUMER_SETTINGS_VARIABLE, NotificationConsumerSettingsDocument } from './notification-consumer-settings';
import { PLACE_ORDER_SETTINGS_VARIABLE, PlaceOrderSettings } from './place-order-settings';
import { INVENTORY_SERVICE_CONF, NOTIFICATION_SERVICE_CONF, ORDER_SERVICE_CONF, USER_SERVICE_CONF } from './service-configs';
import {
  AlarmTopic, CircuitBreakerFunction, CircuitTarget, Fallback, FanoutQueue, FanoutTopic, HandlerFunction, MeshedFargateService, ServiceMesh,
} from '../../src';
import { bundledCode } from '../bundled-code';
import { acknowledgeImageAssetPull } from '../image-asset-nag';
import { labNginxImage, nginxServiceProps } from '../lab-nginx';
import { createLabVpc } from '../lab-vpc';

/** Settings of the cross-service lab. */
export interface CrossServiceLabProps extends StackProps {
  /**
   * An email address subscribed to the lab's alarm topic (confirm the subscription mail).
   * @default - alarms go to the topic only
   */
  readonly alarmEmail?: string;
}

/** How many receives before an order event is dead-lettered: small, so the DLQ exercise is quick. */
const MAX_RECEIVE_COUNT = 3;

const SQS_CONSUMER_REASON = 'This function is invoked only by an SQS event source mapping (synchronously, by the Lambda poller): a failed record returns ' +
  'to its queue and moves to the queue\'s dead-letter queue after maxReceiveCount receives, which alarms. There are no asynchronous ' +
  'invocations to dead-letter or route to a failure destination.';

/**
 * The cross-service communication lab: four microservices in an ECS Service Connect mesh
 * (user, order, inventory, notification), order events fanned out over SNS to one SQS
 * queue per consuming service (each with a DLQ), and the order -> inventory call guarded
 * by a fleet-wide circuit breaker with a fallback. Everything is destroyed with the stack.
 */
export class CrossServiceLabStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly alarmTopic: sns.Topic;
  /** The lab's one key: alarm notifications, every log group and the breaker's state table. */
  public readonly encryptionKey: kms.IKey;
  public readonly mesh: ServiceMesh;
  public readonly userService: MeshedFargateService;
  public readonly orderService: MeshedFargateService;
  public readonly inventoryService: MeshedFargateService;
  public readonly notificationService: MeshedFargateService;
  public readonly orderEvents: FanoutTopic;
  public readonly inventoryQueue: FanoutQueue;
  public readonly notificationQueue: FanoutQueue;
  public readonly reservations: dynamodb.Table;
  public readonly inventoryBreaker: CircuitBreakerFunction;
  public readonly placeOrderFunction: lambda.IFunction;
  public readonly inventoryConsumer: lambda.Function;
  public readonly notificationConsumer: lambda.Function;
  public readonly dashboard: cloudwatch.Dashboard;
  /** nginx (unprivileged, /tmp as a volume), built from examples/lab-nginx-image at deploy time. */
  private readonly nginxImage: ecs.ContainerImage;

  constructor(scope: Construct, id: string, props: CrossServiceLabProps = {}) {
    super(scope, id, { description: 'cdk-service-integration: cross-service communication lab (Service Connect mesh, SNS/SQS fan-out, circuit breaker)', ...props });
    const removalPolicy = RemovalPolicy.DESTROY;

    // One customer-managed key (USD 1 a month each) serves the whole lab: the alarm topic's
    // key also encrypts every log group and the breaker's state table.
    const alarms = new AlarmTopic(this, 'AlarmTopic', {
      displayName: 'Cross-service lab alarms',
      emailAddresses: props.alarmEmail ? [props.alarmEmail] : undefined,
      removalPolicy,
    });
    this.alarmTopic = alarms.topic;
    this.encryptionKey = alarms.encryptionKey;

    // The mesh, given the key for its log groups, adds the statement that lets CloudWatch Logs use it.
    this.vpc = createLabVpc(this, { flowLogKey: this.encryptionKey });
    this.nginxImage = labNginxImage();

    this.mesh = new ServiceMesh(this, 'Mesh', {
      vpc: this.vpc, namespaceName: 'cross-service.local', removalPolicy, alarmTopic: this.alarmTopic, encryptionKey: this.encryptionKey,
    });
    this.userService = this.meshedService('user', USER_SERVICE_CONF);
    this.inventoryService = this.meshedService('inventory', INVENTORY_SERVICE_CONF);
    this.notificationService = this.meshedService('notification', NOTIFICATION_SERVICE_CONF);
    this.orderService = this.meshedService('order', ORDER_SERVICE_CONF, true);
    for (const peer of [this.userService, this.inventoryService, this.notificationService]) this.orderService.connectTo(peer);
    acknowledgeImageAssetPull([this.userService, this.inventoryService, this.notificationService, this.orderService]);
    const orderUrl = `http://${this.orderService.loadBalancer!.loadBalancerDnsName}`;

    // order -> inventory goes through the breaker. Lambda cannot join Service Connect, so the
    // breaker calls the inventory API the order service exposes on the ALB (which proxies
    // it through the mesh): an inventory outage shows up as 502/503 answers there.
    this.inventoryBreaker = new CircuitBreakerFunction(this, 'InventoryBreaker', {
      target: CircuitTarget.http(orderUrl),
      fallback: Fallback.staticResponse({ statusCode: 200, body: JSON.stringify({ available: null, source: 'fallback' }) }),
      circuitName: 'inventory',
      tripRules: { failureRateThreshold: 50, minimumCalls: 5, consecutiveFailureThreshold: 3 },
      recovery: { openDuration: Duration.seconds(30) },
      callTimeout: Duration.seconds(3),
      removalPolicy,
      encryptionKey: this.encryptionKey,
      alarmTopic: this.alarmTopic,
    });

    this.orderEvents = new FanoutTopic(this, 'OrderEvents', { alarmTopic: this.alarmTopic, removalPolicy });
    this.reservations = new dynamodb.Table(this, 'Reservations', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      removalPolicy,
    });

    const inventoryConsumer = this.consumer('InventoryConsumer', 'examples/inventory-consumer', 'Reserves stock for order events (cross-service lab)', {
      [INVENTORY_CONSUMER_SETTINGS_VARIABLE]: JSON.stringify({
        reservationsTable: this.reservations.tableName, maxReceiveCount: MAX_RECEIVE_COUNT,
      } satisfies InventoryConsumerSettingsDocument),
    });
    this.reservations.grant(inventoryConsumer, 'dynamodb:PutItem');
    const notificationConsumer = this.consumer('NotificationConsumer', 'examples/notification-consumer', 'Notifies users of order events (cross-service lab)', {
      [NOTIFICATION_CONSUMER_SETTINGS_VARIABLE]: JSON.stringify({
        maxReceiveCount: MAX_RECEIVE_COUNT,
      } satisfies NotificationConsumerSettingsDocument),
    });
    this.inventoryConsumer = inventoryConsumer;
    this.notificationConsumer = notificationConsumer;

    const orderEventTypes = (...types: string[]) => ({ eventType: sns.SubscriptionFilter.stringFilter({ allowlist: types }) });
    this.inventoryQueue = this.orderEvents.addQueue('Inventory', {
      filterPolicy: orderEventTypes('order.created', 'order.cancelled'),
      maxReceiveCount: MAX_RECEIVE_COUNT,
      visibilityTimeout: Duration.seconds(60),
      consumer: inventoryConsumer,
      batchSize: 10,
    });
    this.notificationQueue = this.orderEvents.addQueue('Notification', {
      filterPolicy: orderEventTypes('order.created', 'order.shipped', 'order.cancelled'),
      maxReceiveCount: MAX_RECEIVE_COUNT,
      visibilityTimeout: Duration.seconds(60),
      consumer: notificationConsumer,
      batchSize: 10,
    });

    const placeOrder = new HandlerFunction(this, 'PlaceOrder', {
      code: bundledCode('examples/place-order'),
      codeName: 'examples/place-order',
      description: 'POST /orders: checks stock through the inventory breaker and publishes order.created (cross-service lab)',
      timeout: Duration.seconds(10),
      removalPolicy,
      encryptionKey: this.encryptionKey,
      environment: {
        [PLACE_ORDER_SETTINGS_VARIABLE]: Stack.of(this).toJsonString({
          inventoryBreakerFunction: this.inventoryBreaker.function.functionName,
          orderEventsTopicArn: this.orderEvents.topic.topicArn,
        } satisfies PlaceOrderSettings),
      },
    });
    NagSuppressions.addResourceSuppressions(placeOrder.function, [{
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by the ALB: a failure is returned to the HTTP caller as 502 and nothing is queued.',
    }, {
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'Invoked synchronously by the ALB: there are no asynchronous invocations to route.',
    }]);
    this.placeOrderFunction = placeOrder.function;
    // Exactly the breaker's unqualified ARN (grantInvoke would add a `:*` version wildcard).
    placeOrder.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.inventoryBreaker.function.functionArn] }));
    this.orderEvents.grantPublish(placeOrder.function);
    this.orderService.listener!.addTargets('PlaceOrder', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/orders']), elbv2.ListenerCondition.httpRequestMethods(['POST'])],
      targets: [new elbv2Targets.LambdaTarget(placeOrder.function)],
    });
    allowOnlyThisAccountsLoadBalancers(placeOrder.function);

    this.dashboard = this.createDashboard();

    new CfnOutput(this, 'OrderServiceUrl', { value: orderUrl, description: 'Public entry point: POST /orders, GET /users/<id>, GET /inventory/items/<sku>' });
    new CfnOutput(this, 'ClusterName', { value: this.mesh.cluster.clusterName });
    new CfnOutput(this, 'InventoryServiceName', { value: this.inventoryService.service.serviceName });
    new CfnOutput(this, 'InventoryBreakerFunction', { value: this.inventoryBreaker.function.functionName });
    new CfnOutput(this, 'CircuitStateTable', { value: this.inventoryBreaker.stateTable.tableName });
    new CfnOutput(this, 'OrderEventsTopicArn', { value: this.orderEvents.topic.topicArn });
    new CfnOutput(this, 'InventoryQueueUrl', { value: this.inventoryQueue.queue.queueUrl });
    new CfnOutput(this, 'InventoryDeadLetterQueueUrl', { value: this.inventoryQueue.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'InventoryDeadLetterQueueArn', { value: this.inventoryQueue.deadLetterQueue.queueArn });
    new CfnOutput(this, 'ReservationsTable', { value: this.reservations.tableName });
    new CfnOutput(this, 'NotificationConsumerLogGroup', { value: notificationConsumer.logGroup?.logGroupName ?? '' });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  private meshedService(name: string, nginxConf: string, publicLoadBalancer = false): MeshedFargateService {
    return new MeshedFargateService(this, `${name[0].toUpperCase()}${name.slice(1)}Service`, {
      mesh: this.mesh,
      serviceName: name,
      ...nginxServiceProps(this.nginxImage, nginxConf),
      // Graviton: about 20% cheaper per vCPU-hour than x86; the nginx image is multi-arch.
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 60 },
      publicLoadBalancer,
      alarmTopic: this.alarmTopic,
    });
  }

  private consumer(id: string, bundle: string, description: string, environment: Record<string, string>): lambda.Function {
    const fn = new HandlerFunction(this, id, {
      code: bundledCode(bundle),
      codeName: bundle,
      description,
      timeout: Duration.seconds(10),
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: this.encryptionKey,
      environment,
    }).function;
    NagSuppressions.addResourceSuppressions(fn, [
      { id: 'Serverless-LambdaDLQ', reason: SQS_CONSUMER_REASON },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason: SQS_CONSUMER_REASON },
    ]);
    return fn;
  }

  private createDashboard(): cloudwatch.Dashboard {
    const services = [this.userService, this.orderService, this.inventoryService, this.notificationService];
    const queues = [this.inventoryQueue, this.notificationQueue];
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(1) });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Inventory circuit state (0 closed, 1 half-open, 2 open)',
        left: [this.inventoryBreaker.metricCircuitState()],
        leftYAxis: { min: 0, max: 4 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Running tasks per service',
        left: services.map((s) => new cloudwatch.Metric({
          namespace: 'ECS/ContainerInsights',
          metricName: 'RunningTaskCount',
          dimensionsMap: { ClusterName: this.mesh.cluster.clusterName, ServiceName: s.service.serviceName },
          label: s.serviceName,
          statistic: 'Minimum',
        })),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue depth (messages visible)',
        left: queues.map((q) => q.queue.metricApproximateNumberOfMessagesVisible({ label: q.node.id })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (messages visible)',
        left: queues.map((q) => q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: `${q.node.id} DLQ` })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Public ALB: 5XX and response time',
        left: [this.orderService.loadBalancer!.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT)],
        right: [this.orderService.loadBalancer!.metrics.targetResponseTime({ statistic: 'p99' })],
      }),
    );
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.allAlarms(), width: 24 }));
    return dashboard;
  }

  private allAlarms(): cloudwatch.IAlarm[] {
    return [
      ...this.inventoryBreaker.alarms,
      ...this.orderEvents.alarms,
      ...[this.userService, this.orderService, this.inventoryService, this.notificationService].flatMap((s) => s.alarms),
    ];
  }
}

/**
 * aws-cdk-lib's LambdaTarget lets the ALB service invoke the function with no source
 * condition (a confused deputy: any account's load balancer could). Only load balancers of
 * this account may; the target group's ARN would be tighter, but the group's registration
 * depends on this permission, so naming the group here would be a cycle.
 */
function allowOnlyThisAccountsLoadBalancers(fn: lambda.IFunction): void {
  for (const child of fn.node.children) {
    if (child instanceof lambda.CfnPermission && child.principal === 'elasticloadbalancing.amazonaws.com') child.sourceAccount = Stack.of(fn).account;
  }
}
