import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import { OrderAlreadyClaimed, OrderInvalid, OrderNotFound } from '../shared/errors';
import { readString, s } from '../shared/item';
import { ID_PATTERN, linesTotalCents, OrderLine, parseOrderItem } from '../shared/order';
import { readOrderItem } from '../shared/orders-table';

/** The order as the rest of the workflow sees it (`$.order`). */
export interface ClaimedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
  readonly paymentToken: string;
}

export interface ValidateDependencies {
  readonly client: DynamoDb;
  readonly ordersTable: string;
  readonly now: () => Date;
}

/** What the ValidateOrder state sends: the order id of the event and the execution's own id. */
export interface ValidateInput {
  readonly orderId?: unknown;
  readonly executionId?: unknown;
}

/**
 * The workflow's first step. It trusts nothing in the event that started it: the order
 * is read from the table, checked, and claimed for this execution (PLACED -> PROCESSING,
 * `claimedBy` = the execution, one conditional write). A redelivered or replayed
 * OrderPlaced event starts an execution that stops at once with OrderAlreadyClaimed
 * instead of charging the customer twice, while a retry of this step by its own
 * execution (after a lost response) finds its claim and goes on.
 */
export async function validateAndClaim(input: ValidateInput, deps: ValidateDependencies): Promise<ClaimedOrder> {
  const { orderId, executionId } = input ?? {};
  if (typeof executionId !== 'string' || executionId.length === 0) throw new OrderInvalid('executionId must be the execution\'s id ($$.Execution.Id)');
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId)) {
    throw new OrderInvalid(`orderId must be 1-64 letters, digits, _ or -, got ${JSON.stringify(orderId)}`);
  }
  const item = await readOrderItem(deps.client, deps.ordersTable, orderId);
  if (!item) throw new OrderNotFound(orderId);
  const { order, problems } = parseOrderItem(item);
  if (!order) throw new OrderInvalid(`order ${orderId} is malformed: ${problems.join('; ')}`);
  const ownClaim = order.status === 'PROCESSING' && readString(item, 'claimedBy') === executionId;
  if (order.status !== 'PLACED' && !ownClaim) throw new OrderAlreadyClaimed(orderId, order.status);
  const expected = linesTotalCents(order.lines);
  if (expected !== order.totalCents) throw new OrderInvalid(`order ${orderId} totals ${order.totalCents} cents but its lines add up to ${expected}`);

  try {
    await deps.client.updateItem({
      TableName: deps.ordersTable,
      Key: { orderId: s(orderId) },
      UpdateExpression: 'SET #status = :processing, claimedBy = :execution, updatedAt = :now',
      ConditionExpression: '#status = :placed OR (#status = :processing AND claimedBy = :execution)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':processing': s('PROCESSING'), ':placed': s('PLACED'), ':execution': s(executionId), ':now': s(deps.now().toISOString()) },
    });
  } catch (error) {
    if (isAwsError(error, 'ConditionalCheckFailedException')) throw new OrderAlreadyClaimed(orderId, 'taken by a concurrent execution');
    throw error;
  }
  const { customerId, lines, totalCents, paymentToken } = order;
  return { orderId, customerId, lines, totalCents, paymentToken };
}
