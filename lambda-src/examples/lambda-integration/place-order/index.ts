import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { placeOrder } from './place-order';
import { idempotencyKey, parseOrderRequest } from './request';
import { parsePlaceOrderSettings, PLACE_ORDER_SETTINGS_VARIABLE, PlaceOrderSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { apiRoute, callerId, json, jsonBody } from '../shared/api';
import { orderView } from '../shared/order';

// POST /orders of the café API. Settings: examples/lambda-integration/cafe-settings.ts.
const { menuTable, ordersTable } = parsePlaceOrderSettings(JsonConfig.fromEnvironment<PlaceOrderSettings>(PLACE_ORDER_SETTINGS_VARIABLE));

const MAX_BODY_BYTES = 8192;

export const handler = createHandler('cafe-place-order', (tools) => {
  const deps = { client: dynamoDb(), menuTable, ordersTable, now: () => new Date(), newOrderId: () => `o-${randomUUID()}` };
  return apiRoute(tools, async (event: APIGatewayProxyEvent) => {
    const request = parseOrderRequest(jsonBody(event, MAX_BODY_BYTES));
    const { order, created } = await placeOrder(request, callerId(event), idempotencyKey(event.headers), deps);
    if (created) {
      tools.logger.info('order placed', { orderId: order.orderId, totalCents: order.totalCents, lines: order.lines.length });
      tools.metrics.addMetric('OrdersPlaced', 'Count', 1);
      tools.metrics.addMetric('OrderValueCents', MetricUnit.NoUnit, order.totalCents);
    }
    return json(created ? 201 : 200, orderView(order), { location: `/orders/${order.orderId}` });
  });
});
