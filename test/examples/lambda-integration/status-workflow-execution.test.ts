import { App } from 'aws-cdk-lib';
import { LambdaIntegrationLabStack } from '../../../examples/lambda-integration/lambda-integration-lab-stack';
import { orderStatus } from '../../../lambda-src/examples/lambda-integration/order-status/order-status';
import { orderToItem } from '../../../lambda-src/examples/lambda-integration/shared/order';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';
import { runLocally } from '../../helpers/local-execution';
import { stateMachineDefinition } from '../../helpers/state-machine-definition';
import { createCafeTables, ORDERS_TABLE, sampleOrder } from '../../lambda/lambda-integration/harness';

// The EXPRESS order-status workflow as synthesized, run locally with the reader's real logic
// against dynalite. Its input is what the API Gateway integration sends: the path and the
// authorizer context.
const definition = stateMachineDefinition(new LambdaIntegrationLabStack(new App(), 'Lab'), 'OrderStatusWorkflow');
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCafeTables(dynamo);
  await dynamo.dynamoDb().putItem({
    TableName: ORDERS_TABLE,
    Item: orderToItem(sampleOrder('o-express', { status: 'PROCESSING' })),
  });
});
afterAll(() => dynamo.stop());

async function lookUp(orderId: string, sub: string) {
  const { output, error } = await runLocally(definition, { path: { orderId }, authorizer: { sub, principalId: sub, tenantId: 'cafe' } }, {
    taskHandlers: { LookUpOrder: async (payload: any) => orderStatus(payload, dynamo.dynamoDb(), ORDERS_TABLE) },
  });
  expect(error).toBeUndefined();
  return output;
}

describe('the order-status workflow executed locally', () => {
  test('the owner gets the customer view of the order as the execution output', async () => {
    expect(await lookUp('o-express', 'customer-1')).toEqual({
      orderId: 'o-express',
      status: 'PROCESSING',
      totalCents: 250,
      lines: [{ sku: 'espresso', name: 'Espresso', quantity: 1, unitPriceCents: 250 }],
      createdAt: '2026-11-22T09:30:00.000Z',
      updatedAt: '2026-11-22T09:31:00.000Z',
    });
  });

  test('another customer, an unknown and a hostile id succeed with notFound (a 404, not a failed execution)', async () => {
    for (const [orderId, sub] of [['o-express', 'customer-2'], ['o-none', 'customer-1'], ['"}],"x":{"', 'customer-1']]) {
      expect(await lookUp(orderId, sub)).toEqual({ notFound: true });
    }
  });
});
