import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClaimedOrder, validateAndClaim, ValidateInput } from './validate';
import { createHandler, JsonConfig } from '../../../shared';

// The order workflow's ValidateOrder step. Settings (written by the lab stack):
//   VALIDATE_ORDER_CONFIG = {"ordersTable":"<name>"}
const config = JsonConfig.fromEnvironment('VALIDATE_ORDER_CONFIG');
const ordersTable = config.string('ordersTable');
config.validate();

export const handler = createHandler<ValidateInput, ClaimedOrder>('cafe-validate-order', ({ logger }) => {
  const deps = { client: new DynamoDBClient({}), ordersTable, now: () => new Date() };
  return async (input) => {
    const order = await validateAndClaim(input, deps);
    logger.info('order claimed', { orderId: order.orderId, totalCents: order.totalCents });
    return order;
  };
}, (error) => (error as Error).name === 'OrderAlreadyClaimed');
