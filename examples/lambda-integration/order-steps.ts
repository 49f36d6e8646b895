import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** What the order workflow's steps call. */
export interface OrderStepTargets {
  readonly validateOrder: lambda.IFunction;
  readonly inventory: lambda.IFunction;
  readonly payments: lambda.IFunction;
  readonly ordersTable: dynamodb.ITable;
  readonly notificationTopic: sns.ITopic;
}

/** The provider is flaky by nature: exponential backoff with full jitter, so the retries of many orders spread out. */
export const PAYMENT_RETRY: sfn.RetryProps = {
  errors: ['PaymentProviderUnavailable'],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 3,
  maxDelay: Duration.seconds(10),
  jitterStrategy: sfn.JitterType.FULL,
};

/** Undoing a payment must outlast an open circuit (20 seconds): up to 5 + 10 + 20 + 40 seconds of backoff. */
export const CANCELLATION_RETRY: sfn.RetryProps = { ...PAYMENT_RETRY, interval: Duration.seconds(5), maxAttempts: 4, maxDelay: Duration.seconds(60) };

const DYNAMODB_RETRY: sfn.RetryProps = {
  errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.RequestLimitExceeded', 'DynamoDB.InternalServerErrorException'],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 3,
  jitterStrategy: sfn.JitterType.FULL,
};

// The execution's input is the OrderPlaced event's detail (orderId, customerId, totalCents):
// it stays at the top of the state, so even a step after a failed ValidateOrder can name the order.
const ORDER_ID = sfn.JsonPath.stringAt('$.orderId');
const value = (text: string) => tasks.DynamoAttributeValue.fromString(text);

/** A step whose failure is tolerated: the task, or the Pass that records why it did not happen, continues. */
function tolerated(task: sfn.TaskStateBase, skipped: sfn.Pass, start: sfn.State = task): sfn.Chain {
  task.addCatch(skipped, { errors: [sfn.Errors.ALL], resultPath: '$.skipped' });
  return sfn.Chain.custom(start, [task, skipped], skipped);
}

/**
 * The café's steps as Step Functions states (JSONPath, so the definition also runs in the
 * local executor), one factory per kind of step; order-workflow.ts arranges them. Steps
 * that appear twice (undoing holds before and after the approval) get distinct names.
 */
export class OrderSteps {
  constructor(private readonly scope: Construct, private readonly targets: OrderStepTargets) {}

  /** Read, check and claim the order (PLACED -> PROCESSING). The claim names this execution, so a retried step is harmless. */
  public validateOrder(): tasks.LambdaInvoke {
    return this.invoke('ValidateOrder', this.targets.validateOrder, {
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      executionId: sfn.JsonPath.executionId,
    }, '$.order');
  }

  /** Reserve, release or commit the order's units. */
  public inventory(id: string, action: 'reserve' | 'release' | 'commit', resultPath: string): tasks.LambdaInvoke {
    return this.invoke(id, this.targets.inventory, { action, orderId: ORDER_ID, lines: sfn.JsonPath.listAt('$.order.lines') }, resultPath);
  }

  public authorizePayment(): sfn.TaskStateBase {
    return this.invoke('PreAuthorizePayment', this.targets.payments, this.paymentPayload('authorize'), '$').addRetry(PAYMENT_RETRY);
  }

  /** Capture the pre-authorized amount. `attempt` ($$.State.RetryCount) lets the stand-in provider fail chosen attempts. */
  public chargePayment(): sfn.TaskStateBase {
    return this.invoke('ChargePayment', this.targets.payments, {
      ...this.paymentPayload('charge'),
      authorizationId: sfn.JsonPath.stringAt('$.holds.authorization.authorizationId'),
    }, '$.payment').addRetry(PAYMENT_RETRY);
  }

  /**
   * Void or refund whatever the order has with the provider. A compensation must not fail
   * the workflow: when the provider stays unreachable, the order is flagged for follow-up.
   */
  public cancelPayment(id: string): sfn.Chain {
    const cancel = this.invoke(id, this.targets.payments, this.paymentPayload('cancel'), '$.cancellation').addRetry(CANCELLATION_RETRY);
    return tolerated(cancel, new sfn.Pass(this.scope, `${id}NeedsFollowUp`, {
      comment: 'The provider stayed unreachable: an operator voids or refunds this order by hand',
      parameters: { status: 'MANUAL_FOLLOW_UP' },
      resultPath: '$.cancellation',
    }));
  }

  /** Move the order to `status` with a conditional write on the orders table (a direct integration: no Lambda). */
  public setStatus(id: string, status: 'COMPLETED' | 'CANCELLED' | 'REJECTED', from: string[]): sfn.TaskStateBase {
    const expressionAttributeValues: Record<string, tasks.DynamoAttributeValue> = {
      ':status': value(status),
      ':now': value(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
    };
    from.forEach((s, i) => expressionAttributeValues[`:from${i}`] = value(s));
    const updates = ['#status = :status', 'updatedAt = :now'];
    if (status === 'COMPLETED') {
      updates.push('chargeId = :chargeId');
      expressionAttributeValues[':chargeId'] = value(sfn.JsonPath.stringAt('$.payment.chargeId'));
    }
    if (status === 'REJECTED') {
      updates.push('statusReason = :reason');
      expressionAttributeValues[':reason'] = value(sfn.JsonPath.stringAt('$.failure.Error'));
    }
    return new tasks.DynamoUpdateItem(this.scope, id, {
      table: this.targets.ordersTable,
      key: { orderId: value(ORDER_ID) },
      updateExpression: `SET ${updates.join(', ')}`,
      conditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      expressionAttributeNames: { '#status': 'status' },
      expressionAttributeValues,
      resultPath: sfn.JsonPath.DISCARD,
    }).addRetry(DYNAMODB_RETRY);
  }

  /**
   * Tell the customer (and, for paid orders, the kitchen) through the notification topic.
   * A notification that cannot be sent never undoes a paid order.
   */
  public notify(id: string, eventType: string, extra: Record<string, unknown> = {}): sfn.Chain {
    const compose = new sfn.Pass(this.scope, `Compose${id}`, {
      parameters: {
        eventType,
        orderId: ORDER_ID,
        customerId: sfn.JsonPath.stringAt('$.customerId'),
        totalCents: sfn.JsonPath.numberAt('$.totalCents'),
        ...extra,
      },
      resultPath: '$.notification',
    });
    const publish = new tasks.SnsPublish(this.scope, `Notify${id}`, {
      topic: this.targets.notificationTopic,
      message: sfn.TaskInput.fromText(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.notification'))),
      messageAttributes: { eventType: { value: eventType } },
      resultPath: sfn.JsonPath.DISCARD,
    });
    publish.addRetry({ errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 2 });
    compose.next(publish);
    return tolerated(publish, new sfn.Pass(this.scope, `${id}NotSent`, { comment: 'The notification topic refused the message; the order stands' }), compose);
  }

  private paymentPayload(action: 'authorize' | 'charge' | 'cancel'): Record<string, unknown> {
    return {
      action,
      orderId: ORDER_ID,
      amountCents: sfn.JsonPath.numberAt('$.order.totalCents'),
      paymentToken: sfn.JsonPath.stringAt('$.order.paymentToken'),
      attempt: sfn.JsonPath.numberAt('$$.State.RetryCount'),
    };
  }

  private invoke(id: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath: string): tasks.LambdaInvoke {
    return new tasks.LambdaInvoke(this.scope, id, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      resultPath: resultPath === '$' ? undefined : resultPath,
    });
  }
}
