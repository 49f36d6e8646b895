import { orderStatus, StatusAnswer, StatusRequest } from './order-status';
import { ORDER_STATUS_SETTINGS_VARIABLE, OrdersSettings, parseOrdersSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';

// The step of the EXPRESS order-status workflow behind GET /orders/{orderId}.
// Settings: examples/lambda-integration/cafe-settings.ts.
const { ordersTable } = parseOrdersSettings(JsonConfig.fromEnvironment<OrdersSettings>(ORDER_STATUS_SETTINGS_VARIABLE));

export const handler = createHandler<StatusRequest, StatusAnswer>('cafe-order-status', () => {
  const client = dynamoDb();
  return (request) => orderStatus(request ?? {}, client, ordersTable);
});
