import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { placeOrder } from './place-order';
import { idempotencyKey, parseOrderRequest } from './request';
import { createHandler, JsonConfig } from '../../../shared';
import { apiRoute, callerId, json, jsonBody } from '../shared/api';
import { orderView } from '../shared/order';

// POST /orders of the café API. Settings (written by the lab stack):
//   PLACE_ORDER_CONFIG = {"menuTable":"<name>","ordersTable":"<name>"}
const config = JsonConfig.fromEnvironment('PLACE_ORDER_CONFIG');
const menuTable = config.string('menuTable');
const ordersTable = config.string('ordersTable');
config.validate();

const MAX_BODY_BYTES = 8192;

export const handler = createHandler('cafe-place-order', (tools) => {
  const deps = { client: new DynamoDBClient({}), menuTable, ordersTable, now: () => new Date(), newOrderId: () => `o-${randomUUID()}` };
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
