import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handleOrders } from './orders';
import { OrdersSettings, ORDERS_SETTINGS_VARIABLE, parseOrdersSettings } from '../../../../examples/api-gateway/orders-settings';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';

// The API Gateway lab's orders API (Lambda proxy integrations of /v1/orders,
// /v1/orders/{orderId} and /v1/customers/{customerId}/orders). Settings:
// examples/api-gateway/orders-settings.ts.
const settings = parseOrdersSettings(JsonConfig.fromEnvironment<OrdersSettings>(ORDERS_SETTINGS_VARIABLE));
const dynamo = dynamoDb();

export const handler = createHandler<APIGatewayProxyEvent, APIGatewayProxyResult>('cafe-orders', ({ logger }) => async (event) => {
  const answer = await handleOrders({ ...event, requestId: event.requestContext.requestId }, { dynamo, ...settings, now: () => new Date() });
  if (answer.statusCode >= 400) logger.info('order request refused', { statusCode: answer.statusCode, resource: event.resource });
  return {
    statusCode: answer.statusCode,
    headers: { 'content-type': 'application/json', 'x-request-id': event.requestContext.requestId },
    body: JSON.stringify(answer.body),
  };
});
