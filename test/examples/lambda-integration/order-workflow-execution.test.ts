import { App } from 'aws-cdk-lib';
import { OrderWorkflowHarness } from './workflow-harness';
import { LambdaIntegrationLabStack } from '../../../examples/lambda-integration/lambda-integration-lab-stack';
import { ORDER_APPROVAL_SUMMARY } from '../../../examples/lambda-integration/order-workflow';
import { pickSummaryFields } from '../../../src/workflow/approval-summary';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';
import { stateMachineDefinition } from '../../helpers/state-machine-definition';
import { createCafeTables, putMenuItems } from '../../lambda/lambda-integration/harness';

// The café's STANDARD order workflow as synthesized, executed locally (aws-local-stepfunctions,
// JSONPath) with the real step logic against dynalite: see workflow-harness.ts.
const definition = stateMachineDefinition(new LambdaIntegrationLabStack(new App(), 'Lab'), 'OrderWorkflowApproval');
let dynamo: LocalDynamo;
let cafe: OrderWorkflowHarness;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCafeTables(dynamo);
  cafe = new OrderWorkflowHarness(definition, dynamo);
});
afterAll(() => dynamo.stop());
beforeEach(() => putMenuItems(dynamo.dynamoDb()));

const espresso = (quantity: number) => ({ sku: 'espresso', name: 'Espresso', quantity, unitPriceCents: 250 });
const croissant = (quantity: number) => ({ sku: 'croissant', name: 'Croissant', quantity, unitPriceCents: 290 });
const cateringBox = (quantity: number) => ({ sku: 'catering-box', name: 'Catering box (12 pastries)', quantity, unitPriceCents: 4500 });

const HOLDS = ['ReserveAndAuthorize', 'ReserveInventory', 'PreAuthorizePayment'];
const FULFIL = ['Approved', 'ChargePayment', 'CommitStock', 'CompleteOrder', 'ComposeCustomer', 'NotifyCustomer'];
const COMPENSATE = ['Compensate', 'ReleaseStock', 'CancelPayment', 'CancelOrder', 'ComposeCancellation', 'NotifyCancellation', 'Outcome'];
/** Parallel branches interleave: compare the holds as a set. */
const withHoldsSorted = (states: string[]) => [...states.slice(0, 1), ...states.slice(1, 4).sort(), ...states.slice(4)];

describe('the order workflow executed locally', () => {
  test('a small order is claimed, held, charged without approval, completed, and order.completed is published', async () => {
    const input = await cafe.placeOrder('o-small', [espresso(2), croissant(1)]);
    const result = await cafe.run(input);

    expect(result.error).toBeUndefined();
    expect(withHoldsSorted(result.statesEntered)).toEqual(['ValidateOrder', ...[...HOLDS].sort(), 'RequiresApproval', 'NoApprovalNeeded', ...FULFIL]);
    expect(result.calls.RequestApproval).toBeUndefined();
    expect(await cafe.order('o-small')).toMatchObject({ status: { S: 'COMPLETED' }, chargeId: { S: expect.stringMatching(/^ch_/) } });
    expect(await cafe.stock('croissant')).toEqual({ stock: 4, holders: [] });
    expect(result.notifications).toEqual([{
      eventType: 'order.completed',
      message: expect.objectContaining({ eventType: 'order.completed', orderId: 'o-small', customerId: 'customer-1', totalCents: 790, chargeId: expect.stringMatching(/^ch_/), lines: [espresso(2), croissant(1)] }),
    }]);
    expect(result.output).toMatchObject({ orderId: 'o-small', approval: { decision: 'NOT_REQUIRED' }, payment: { action: 'charge' } });
  });

  test('an order over $100 waits for the manager, who sees the order; once approved it is charged and completed', async () => {
    const input = await cafe.placeOrder('o-large-ok', [cateringBox(3)]);
    const result = await cafe.run(input, 'approve');

    expect(result.error).toBeUndefined();
    expect(withHoldsSorted(result.statesEntered)).toEqual(['ValidateOrder', ...[...HOLDS].sort(), 'RequiresApproval', 'RequestApproval', ...FULFIL]);
    expect(result.calls.RequestApproval).toHaveLength(1);
    const shown = pickSummaryFields(result.calls.RequestApproval[0].Payload.state, ORDER_APPROVAL_SUMMARY);
    expect(shown).toEqual({ values: { orderId: 'o-large-ok', totalCents: 13_500, lines: [cateringBox(3)] }, missing: [] });
    expect(await cafe.order('o-large-ok')).toMatchObject({ status: { S: 'COMPLETED' } });
    expect(await cafe.stock('catering-box')).toEqual({ stock: 7, holders: [] });
    expect(result.output.approval).toMatchObject({ decision: 'APPROVED' });
  });

  test('a large order the manager rejects is compensated: stock released, payment cancelled, order CANCELLED, customer told', async () => {
    const input = await cafe.placeOrder('o-large-no', [cateringBox(3)]);
    const result = await cafe.run(input, 'reject');

    expect(result.error?.name).toBe('ApprovalRejected');
    expect(withHoldsSorted(result.statesEntered)).toEqual(['ValidateOrder', ...[...HOLDS].sort(), 'RequiresApproval', 'RequestApproval', 'Rejected', ...COMPENSATE, 'ApprovalRejected']);
    expect(result.calls.ChargePayment).toBeUndefined();
    expect(result.calls.CancelPayment).toEqual([expect.objectContaining({ action: 'cancel', orderId: 'o-large-no' })]);
    expect(await cafe.order('o-large-no')).toMatchObject({ status: { S: 'CANCELLED' } });
    expect(await cafe.stock('catering-box')).toEqual({ stock: 10, holders: [] });
    expect(result.notifications.map((n) => n.eventType)).toEqual(['order.cancelled']);
  });

  test('an approval nobody answers expires and is compensated the same way', async () => {
    const input = await cafe.placeOrder('o-large-late', [cateringBox(4)]);
    const result = await cafe.run(input, 'expire');

    expect(result.error?.name).toBe('ApprovalExpired');
    expect(result.statesEntered).toEqual(expect.arrayContaining(['Expired', ...COMPENSATE]));
    expect(await cafe.order('o-large-late')).toMatchObject({ status: { S: 'CANCELLED' } });
    expect(await cafe.stock('catering-box')).toEqual({ stock: 10, holders: [] });
  });

  test('a payment that fails twice is retried and succeeds on the third attempt', async () => {
    const input = await cafe.placeOrder('o-flaky', [espresso(1)], 'tok_flaky');
    const result = await cafe.run(input);

    expect(result.error).toBeUndefined();
    expect(result.calls.ChargePayment).toHaveLength(3);
    expect(result.statesEntered.filter((s) => s === 'ChargePayment')).toHaveLength(1);
    expect(await cafe.order('o-flaky')).toMatchObject({ status: { S: 'COMPLETED' } });
    expect(result.notifications.map((n) => n.eventType)).toEqual(['order.completed']);
  });

  test('a payment that always fails exhausts its retries (1 + 3 attempts) and the order is compensated', async () => {
    const input = await cafe.placeOrder('o-outage', [espresso(1), croissant(2)], 'tok_outage');
    const result = await cafe.run(input);

    expect(result.error?.name).toBe('WorkflowFailed');
    expect(result.calls.ChargePayment).toHaveLength(4);
    expect(withHoldsSorted(result.statesEntered)).toEqual(['ValidateOrder', ...[...HOLDS].sort(), 'RequiresApproval', 'NoApprovalNeeded', 'Approved', 'ChargePayment', ...COMPENSATE, 'WorkflowFailed']);
    expect(await cafe.order('o-outage')).toMatchObject({ status: { S: 'CANCELLED' } });
    expect(await cafe.stock('croissant')).toEqual({ stock: 5, holders: [] });
    expect(result.calls.CancelPayment).toHaveLength(1);
  });

  test('an order the kitchen cannot serve is rejected: the payment hold is voided and the reason recorded', async () => {
    const input = await cafe.placeOrder('o-sold-out', [espresso(1), croissant(6)]);
    const result = await cafe.run(input);

    expect(result.error?.name).toBe('OrderRejected');
    expect(result.statesEntered.slice(-6)).toEqual(['ReleaseReservedStock', 'VoidAuthorization', 'RejectOrder', 'ComposeRejection', 'NotifyRejection', 'OrderRejected']);
    expect(await cafe.order('o-sold-out')).toMatchObject({ status: { S: 'REJECTED' }, statusReason: { S: 'OutOfStock' } });
    expect(await cafe.stock('espresso')).toEqual({ stock: 100, holders: [] });
    expect(result.notifications).toEqual([{ eventType: 'order.rejected', message: expect.objectContaining({ reason: 'OutOfStock' }) }]);
  });

  test('a declined card rejects the order and releases the stock it held', async () => {
    const input = await cafe.placeOrder('o-declined', [croissant(2)], 'tok_declined');
    const result = await cafe.run(input);

    expect(result.error?.name).toBe('OrderRejected');
    expect(await cafe.order('o-declined')).toMatchObject({ status: { S: 'REJECTED' }, statusReason: { S: 'PaymentDeclined' } });
    expect(await cafe.stock('croissant')).toEqual({ stock: 5, holders: [] });
  });

  test('a replayed OrderPlaced event starts an execution that stops at once and changes nothing', async () => {
    const input = await cafe.placeOrder('o-replayed', [espresso(1)]);
    await cafe.run(input);
    const replay = await cafe.run(input);

    expect(replay.error).toBeUndefined();
    expect(replay.statesEntered).toEqual(['ValidateOrder', 'AlreadyClaimed']);
    expect(replay.calls.ChargePayment).toBeUndefined();
    expect(await cafe.stock('espresso')).toEqual({ stock: 99, holders: [] });
  });
});
