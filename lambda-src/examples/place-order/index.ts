import { randomUUID } from 'node:crypto';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { inventoryAnswerFrom, InvalidOrderError, OrderDependencies, parseOrderRequest, placeOrder } from './order';
import { parsePlaceOrderSettings, PLACE_ORDER_SETTINGS_VARIABLE, PlaceOrderSettings } from '../../../examples/cross-service/place-order-settings';
import { lambda as lambdaApi } from '../../shared/aws/lambda';
import { sns as snsApi } from '../../shared/aws/sns';
import { JsonConfig } from '../../shared/config';
import { HandlerError } from '../../shared/errors';
import { createHandler } from '../../shared/handler';

// POST /orders behind the lab's public ALB. Settings: examples/cross-service/place-order-settings.ts.
const { inventoryBreakerFunction: breakerFunction, orderEventsTopicArn: topicArn } =
  parsePlaceOrderSettings(JsonConfig.fromEnvironment<PlaceOrderSettings>(PLACE_ORDER_SETTINGS_VARIABLE));

const lambda = lambdaApi();
const sns = snsApi();

const deps: OrderDependencies = {
  async checkInventory(sku) {
    // The breaker forwards this proxy-shaped event to the inventory service as GET /inventory/items/<sku>.
    const response = await lambda.invoke({
      FunctionName: breakerFunction,
      Payload: Buffer.from(JSON.stringify({ httpMethod: 'GET', path: `/inventory/items/${encodeURIComponent(sku)}`, headers: { accept: 'application/json' } })),
    });
    if (response.FunctionError) throw new HandlerError('INVENTORY_CHECK_FAILED', `the inventory breaker failed: ${response.FunctionError}`, true);
    return inventoryAnswerFrom(JSON.parse(Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8') || 'null'));
  },
  async publish(event) {
    await sns.publish({
      TopicArn: topicArn,
      Message: JSON.stringify(event),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: event.eventType } },
    });
  },
  newOrderId: () => `o-${randomUUID()}`,
  now: () => new Date(),
};

function json(statusCode: number, body: unknown): ALBResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false };
}

export const handler = createHandler<ALBEvent, ALBResult>('order-service', ({ logger }) => async (event) => {
  try {
    const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const order = await placeOrder(parseOrderRequest(body), deps);
    logger.info('order placed', { orderId: order.orderId, status: order.status, inventorySource: order.inventorySource });
    return json(201, order);
  } catch (error) {
    if (error instanceof InvalidOrderError) return json(400, { error: error.code, message: error.message });
    // The caller gets an answer, so the wrapper sees no error: this is the one log record of the failure.
    logger.error('order not placed', { error: error as Error });
    return json(502, { error: error instanceof HandlerError ? error.code : 'ORDER_FAILED', message: 'the order was not placed; retry later' });
  }
});
