import { ClaimedOrder, validateAndClaim, ValidateInput } from './validate';
import { OrdersSettings, parseOrdersSettings, VALIDATE_ORDER_SETTINGS_VARIABLE } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';

// The order workflow's ValidateOrder step. Settings: examples/lambda-integration/cafe-settings.ts.
const { ordersTable } = parseOrdersSettings(JsonConfig.fromEnvironment<OrdersSettings>(VALIDATE_ORDER_SETTINGS_VARIABLE));

export const handler = createHandler<ValidateInput, ClaimedOrder>('cafe-validate-order', ({ logger }) => {
  const deps = { client: dynamoDb(), ordersTable, now: () => new Date() };
  return async (input) => {
    const order = await validateAndClaim(input, deps);
    logger.info('order claimed', { orderId: order.orderId, totalCents: order.totalCents });
    return order;
  };
}, (error) => (error as Error).name === 'OrderAlreadyClaimed');
