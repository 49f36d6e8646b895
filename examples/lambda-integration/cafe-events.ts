import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { FanoutTopic } from '../../src';

/** The `source` of the orders service's events (lambda-src/examples/lambda-integration/order-stream). */
export const ORDER_EVENT_SOURCE = 'cafe.orders';
/** Statuses whose notification the workflow sends itself, with the receipt or the reason: the bus does not repeat them. */
const WORKFLOW_NOTIFIED = ['COMPLETED', 'CANCELLED', 'REJECTED'];

export interface CafeEventsProps {
  /** The bus's name (`cafe` in the lab). */
  readonly eventBusName: string;
  /** Started for every OrderPlaced event, with the event's detail as input. */
  readonly orderWorkflow: sfn.IStateMachine;
  /** Receives OrderStatusChanged events as customer notifications. */
  readonly notifications: FanoutTopic;
}

/**
 * The café's custom event bus and what it routes: OrderPlaced starts the order workflow,
 * OrderStatusChanged notifies the customer through the notification topic. Each target
 * retries for up to an hour and then dead-letters the event into one queue (alarmed by the
 * stack); an archive keeps the orders service's events for a week so they can be replayed.
 */
export class CafeEvents extends Construct {
  public readonly bus: events.EventBus;
  public readonly archive: events.Archive;
  /** Events a rule could not deliver to its target after its retries. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly orderPlacedRule: events.Rule;
  public readonly statusChangedRule: events.Rule;

  constructor(scope: Construct, id: string, props: CafeEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName, description: 'The café: orders placed and order status changes' });
    this.archive = this.bus.archive('Archive', {
      description: 'Every event of the orders service, replayable for a week',
      eventPattern: { source: [ORDER_EVENT_SOURCE] },
      retention: Duration.days(7),
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the event rules\' targets; a dead-letter queue needs none of its own.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'Dead-letter queue of the event rules: its messages are inspected and re-sent by hand (see the guide).' },
    ]);
    const delivery = { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(1) };

    this.orderPlacedRule = new events.Rule(this, 'OrderPlaced', {
      eventBus: this.bus,
      description: 'A new order starts the order workflow',
      eventPattern: { source: [ORDER_EVENT_SOURCE], detailType: ['OrderPlaced'] },
      targets: [new targets.SfnStateMachine(props.orderWorkflow, { ...delivery, input: events.RuleTargetInput.fromEventPath('$.detail') })],
    });

    // A role (not a topic policy) delivers to the topic, so it can also use the topic's customer-managed key.
    const publisher = new iam.Role(this, 'NotificationPublisher', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'EventBridge publishes order status changes to the café notification topic',
    });
    props.notifications.grantPublish(publisher);
    NagSuppressions.addResourceSuppressions(publisher, [{
      id: 'AwsSolutions-IAM5',
      reason: 'CDK\'s SnsTopic target grants kms:GenerateDataKey* on the topic\'s own key to the role it is given; only EventBridge may assume the role.',
      appliesTo: ['Action::kms:GenerateDataKey*'],
    }], true);
    this.statusChangedRule = new events.Rule(this, 'OrderStatusChanged', {
      eventBus: this.bus,
      description: 'Status changes the workflow does not announce itself (e.g. PROCESSING) become customer notifications',
      eventPattern: {
        source: [ORDER_EVENT_SOURCE],
        detailType: ['OrderStatusChanged'],
        detail: { status: [{ 'anything-but': WORKFLOW_NOTIFIED }] },
      },
      targets: [new targets.SnsTopic(props.notifications.topic, {
        ...delivery,
        authorizeUsingRole: true,
        role: publisher,
        message: events.RuleTargetInput.fromObject({
          eventType: 'order.status-changed',
          orderId: events.EventField.fromPath('$.detail.orderId'),
          customerId: events.EventField.fromPath('$.detail.customerId'),
          status: events.EventField.fromPath('$.detail.status'),
          previousStatus: events.EventField.fromPath('$.detail.previousStatus'),
          changedAt: events.EventField.fromPath('$.detail.changedAt'),
        }),
      })],
    });
  }
}
