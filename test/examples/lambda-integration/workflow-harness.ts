import { Inventory, parseInventoryRequest } from '../../../lambda-src/examples/lambda-integration/inventory/inventory';
import { handleProviderCall } from '../../../lambda-src/examples/lambda-integration/payment-provider/provider';
import { parsePaymentRequest, pay } from '../../../lambda-src/examples/lambda-integration/payments/payments';
import { linesTotalCents, OrderLine, orderToItem } from '../../../lambda-src/examples/lambda-integration/shared/order';
import { validateAndClaim } from '../../../lambda-src/examples/lambda-integration/validate-order/validate';
import type { UpdateItemInput } from '../../../lambda-src/shared/aws/dynamodb';
import { isAwsError } from '../../../lambda-src/shared/aws/errors';
import { LocalDynamo } from '../../helpers/dynalite';
import { LocalExecution, runLocally } from '../../helpers/local-execution';
import { MENU_TABLE, ORDERS_TABLE, sampleOrder } from '../../lambda/lambda-integration/harness';


/** How the manager answers the approval request of a large order. */
export type ApprovalAnswer = 'approve' | 'reject' | 'expire';

export interface ExecutionResult extends LocalExecution {
  /** Every task call, by state name, with the parameters the state sent. */
  readonly calls: Record<string, any[]>;
  /** Messages published to the notification topic. */
  readonly notifications: Array<{ message: any; eventType: string }>;
}

const INVENTORY_STATES = ['ReserveInventory', 'ReleaseReservedStock', 'ReleaseStock', 'CommitStock'];
const PAYMENT_STATES = ['PreAuthorizePayment', 'ChargePayment', 'VoidAuthorization', 'CancelPayment'];
const STATUS_STATES = ['RejectOrder', 'CompleteOrder', 'CancelOrder'];
const NOTIFY_STATES = ['NotifyCustomer', 'NotifyCancellation', 'NotifyRejection'];
const namedError = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * Runs the synthesized order workflow in aws-local-stepfunctions with the café's real step
 * logic behind every task: ValidateOrder, the inventory and payments modules and the stand-in
 * provider run in-process against dynalite, the DynamoDB tasks send their resolved parameters
 * to dynalite, SNS publishes are recorded. Only the approval (a person) is decided by the test.
 *
 * The local executor keeps no `$$.State.RetryCount`; the harness counts each state's calls
 * and hands the payment module that count as `attempt`, which is what Step Functions does.
 */
export class OrderWorkflowHarness {
  private executions = 0;

  constructor(private readonly definition: Record<string, any>, private readonly dynamo: LocalDynamo) {}

  /** Store a PLACED order (as POST /orders does) and return the OrderPlaced detail that starts the workflow. */
  public async placeOrder(orderId: string, lines: OrderLine[], paymentToken = 'tok_visa'): Promise<Record<string, unknown>> {
    const order = sampleOrder(orderId, { lines, totalCents: linesTotalCents(lines), paymentToken });
    await this.dynamo.dynamoDb().putItem({ TableName: ORDERS_TABLE, Item: orderToItem(order) });
    return { orderId, customerId: order.customerId, totalCents: order.totalCents, lineCount: lines.length, placedAt: order.createdAt };
  }

  public async run(input: Record<string, unknown>, approval: ApprovalAnswer = 'approve'): Promise<ExecutionResult> {
    const client = this.dynamo.dynamoDb();
    const calls: Record<string, any[]> = {};
    const notifications: ExecutionResult['notifications'] = [];
    const record = (state: string, payload: any) => {
      (calls[state] ??= []).push(payload);
      return calls[state].length;
    };
    const handlers: Record<string, (payload: any) => Promise<any>> = {
      ValidateOrder: async (p) => {
        record('ValidateOrder', p);
        return validateAndClaim(p, { client, ordersTable: ORDERS_TABLE, now: () => new Date('2026-11-22T09:31:00Z') });
      },
      RequestApproval: async (p) => {
        record('RequestApproval', p);
        if (approval === 'reject') throw namedError('ApprovalRejected', JSON.stringify({ decision: 'REJECTED', comment: 'too big for today' }));
        if (approval === 'expire') throw namedError('States.Timeout', 'no decision');
        return { decision: 'APPROVED', approvalId: 'a'.repeat(22), decidedAt: '2026-11-22T09:40:00.000Z' };
      },
    };
    for (const state of INVENTORY_STATES) {
      handlers[state] = async (p) => {
        record(state, p);
        return new Inventory(client, MENU_TABLE).apply(parseInventoryRequest(p));
      };
    }
    for (const state of PAYMENT_STATES) {
      handlers[state] = async (p) => {
        const attempt = record(state, p) - 1;
        return pay(parsePaymentRequest({ ...p, attempt }), async (call) => ({ payload: handleProviderCall(call) }));
      };
    }
    for (const state of STATUS_STATES) {
      handlers[state] = async (p: UpdateItemInput) => {
        record(state, p);
        try {
          return await client.updateItem({ ...p, TableName: ORDERS_TABLE });
        } catch (error) {
          if (isAwsError(error, 'ConditionalCheckFailedException')) throw namedError('DynamoDB.ConditionalCheckFailedException', error.message);
          throw error;
        }
      };
    }
    for (const state of NOTIFY_STATES) {
      handlers[state] = async (p) => {
        record(state, p);
        notifications.push({ message: JSON.parse(p.Message), eventType: p.MessageAttributes.eventType.StringValue });
        return { MessageId: `m-${notifications.length}` };
      };
    }
    const retryStates = [...INVENTORY_STATES, ...PAYMENT_STATES, ...STATUS_STATES, ...NOTIFY_STATES, 'ValidateOrder', 'RequestApproval'];

    const result = await runLocally(this.definition, input, {
      context: {
        Execution: { Id: `arn:aws:states:us-east-1:123456789012:execution:Orders:exec-${++this.executions}` },
        State: { Name: 'RequestApproval', EnteredTime: '2026-11-22T09:31:00.000Z', RetryCount: 0 },
        Task: { Token: 'local-task-token' },
      },
      taskHandlers: handlers,
      noRetryWait: retryStates,
    });
    return { ...result, calls, notifications };
  }

  public async order(orderId: string): Promise<Record<string, any> | undefined> {
    const key = { orderId: { S: orderId } };
    const { Item } = await this.dynamo.dynamoDb().getItem({ TableName: ORDERS_TABLE, Key: key, ConsistentRead: true });
    return Item;
  }

  public async stock(sku: string): Promise<{ stock: number; holders: readonly string[] }> {
    const { Item } = await this.dynamo.dynamoDb().getItem({ TableName: MENU_TABLE, Key: { sku: { S: sku } }, ConsistentRead: true });
    return { stock: Number(Item!.stock.N), holders: Item!.holders?.SS ?? [] };
  }
}
