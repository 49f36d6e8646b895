import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { OrderSteps, OrderStepTargets } from './order-steps';
import { ApprovalCondition, ApprovalWorkflow, FanoutTopic } from '../../src';

/** Orders above $100 (in cents) wait for a manager. */
/** What the manager sees of an order, in the approval mail and on the review page. */
export const ORDER_APPROVAL_SUMMARY = { orderId: '$.order.orderId', totalCents: '$.order.totalCents', lines: '$.order.lines' };

export const APPROVAL_THRESHOLD_CENTS = 10_000;

/** Settings of the café's order workflow. */
export interface OrderWorkflowProps extends Omit<OrderStepTargets, 'notificationTopic'> {
  /** Customer and kitchen notifications. */
  readonly notifications: FanoutTopic;
  /** Emails that receive the approval link of large orders. */
  readonly approvers: string[];
  /** Further approval-request subscribers (the lab's approval inbox queue). */
  readonly approvalSubscriptions: sns.ITopicSubscription[];
  /** How long a large order waits for its manager before it is cancelled. */
  readonly approvalTimeout: Duration;
  readonly alarmTopic: sns.ITopic;
}

/**
 * The café's STANDARD order workflow, a saga on the library's ApprovalWorkflow:
 *
 *   ValidateOrder (claims the order) -> Parallel(ReserveInventory, PreAuthorizePayment)
 *   -> more than $100? -> manager approval (emailed link, task token)
 *   -> ChargePayment (retried with backoff and jitter) -> CommitStock -> CompleteOrder -> NotifyCustomer
 *
 * Every way out undoes what was done: a failed hold releases stock and voids the payment
 * and rejects the order; a rejection, an expired approval or a failed charge releases
 * stock, cancels the payment and cancels the order. The customer is told either way.
 */
export class OrderWorkflow extends Construct {
  /** The approval workflow whose state machine runs the whole saga. */
  public readonly approval: ApprovalWorkflow;
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: OrderWorkflowProps) {
    super(scope, id);
    const steps = new OrderSteps(this, { ...props, notificationTopic: props.notifications.topic });

    this.approval = new ApprovalWorkflow(this, 'Approval', {
      beforeApproval: acceptOrder(this, steps),
      requiresApproval: ApprovalCondition.numberGreaterThan('$.order.totalCents', APPROVAL_THRESHOLD_CENTS),
      summaryFields: ORDER_APPROVAL_SUMMARY,
      onApproved: fulfilOrder(steps),
      compensation: cancelOrder(steps),
      approvalTimeout: props.approvalTimeout,
      executionTimeout: props.approvalTimeout.plus(Duration.hours(1)),
      approvers: props.approvers,
      subscriptions: props.approvalSubscriptions,
      alarmTopic: props.alarmTopic,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = this.approval.stateMachine;
    // SnsPublish grants sns:Publish only; the topic's customer-managed key needs its own grant.
    props.notifications.grantPublish(this.stateMachine);
    acknowledgeVersionWildcards(this.stateMachine, [props.validateOrder, props.inventory, props.payments]);
  }
}

/** Claim the order and put holds on stock and money; if a hold fails, undo both and reject the order. */
function acceptOrder(scope: Construct, steps: OrderSteps): sfn.IChainable {
  const validate = steps.validateOrder();
  const holds = new sfn.Parallel(scope, 'ReserveAndAuthorize', {
    comment: 'Stock and money are held at the same time: neither waits for the other',
    resultSelector: { 'reservation.$': '$[0]', 'authorization.$': '$[1]' },
    resultPath: '$.holds',
  })
    .branch(steps.inventory('ReserveInventory', 'reserve', '$'))
    .branch(steps.authorizePayment());

  const reject = steps.setStatus('RejectOrder', 'REJECTED', ['PLACED', 'PROCESSING'])
    .next(steps.notify('Rejection', 'order.rejected', { reason: sfn.JsonPath.stringAt('$.failure.Error') }))
    .next(new sfn.Fail(scope, 'OrderRejected', { error: 'OrderRejected', cause: 'The order could not be accepted (invalid, out of stock or payment declined); nothing is held' }));
  const releaseHolds = steps.inventory('ReleaseReservedStock', 'release', sfn.JsonPath.DISCARD)
    .next(steps.cancelPayment('VoidAuthorization'))
    .next(reject);

  validate.addCatch(new sfn.Succeed(scope, 'AlreadyClaimed', { comment: 'A redelivered or replayed OrderPlaced event: another execution owns this order' }), {
    errors: ['OrderAlreadyClaimed'],
  });
  validate.addCatch(reject, { errors: ['OrderInvalid'], resultPath: '$.failure' });
  holds.addCatch(releaseHolds, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
  return validate.next(holds);
}

/** Take the money, mark the stock sold, complete the order, send the receipt (and the kitchen ticket). */
function fulfilOrder(steps: OrderSteps): sfn.IChainable {
  return steps.chargePayment()
    .next(steps.inventory('CommitStock', 'commit', sfn.JsonPath.DISCARD))
    .next(steps.setStatus('CompleteOrder', 'COMPLETED', ['PROCESSING']))
    .next(steps.notify('Customer', 'order.completed', {
      chargeId: sfn.JsonPath.stringAt('$.payment.chargeId'),
      lines: sfn.JsonPath.listAt('$.order.lines'),
    }));
}

/** The compensation of an approved-or-not order that will not be fulfilled. */
function cancelOrder(steps: OrderSteps): sfn.IChainable {
  return steps.inventory('ReleaseStock', 'release', sfn.JsonPath.DISCARD)
    .next(steps.cancelPayment('CancelPayment'))
    .next(steps.setStatus('CancelOrder', 'CANCELLED', ['PROCESSING']))
    .next(steps.notify('Cancellation', 'order.cancelled'));
}

/** CDK grants lambda:InvokeFunction on each function and its versions (`ARN:*`): the wildcard covers versions of these functions only. */
function acknowledgeVersionWildcards(stateMachine: sfn.StateMachine, functions: lambda.IFunction[]): void {
  const policy = stateMachine.role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  const stack = Stack.of(stateMachine);
  NagSuppressions.addResourceSuppressions(policy, [{
    id: 'AwsSolutions-IAM5',
    reason: 'CDK grants lambda:InvokeFunction on each step function and its versions (ARN:*); the wildcard covers versions of these functions only.',
    appliesTo: functions.map((fn) => `Resource::<${stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*`),
  }]);
}
