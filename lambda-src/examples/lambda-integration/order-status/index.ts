import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { orderStatus, StatusAnswer, StatusRequest } from './order-status';
import { createHandler, JsonConfig } from '../../../shared';

// The step of the EXPRESS order-status workflow behind GET /orders/{orderId}.
// Settings (written by the lab stack): ORDER_STATUS_CONFIG = {"ordersTable":"<name>"}
const config = JsonConfig.fromEnvironment('ORDER_STATUS_CONFIG');
const ordersTable = config.string('ordersTable');
config.validate();

export const handler = createHandler<StatusRequest, StatusAnswer>('cafe-order-status', () => {
  const client = new DynamoDBClient({});
  return (request) => orderStatus(request ?? {}, client, ordersTable);
});
