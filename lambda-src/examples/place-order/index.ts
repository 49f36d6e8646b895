import { randomUUID } from 'node:crypto';
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import { inventoryAnswerFrom, InvalidOrderError, OrderDependencies, parseOrderRequest, placeOrder } from './order';
import { createLogger, HandlerError, JsonConfig } from '../../shared';
import { lambda as lambdaApi } from '../../shared/aws/lambda';
import { sns as snsApi } from '../../shared/aws/sns';

// POST /orders behind the lab's public ALB. Settings (written by the lab stack):
//   PLACE_ORDER_CONFIG = {"inventoryBreakerFunction":"<name>","orderEventsTopicArn":"<arn>"}
const config = JsonConfig.fromEnvironment('PLACE_ORDER_CONFIG');
const breakerFunction = config.string('inventoryBreakerFunction');
const topicArn = config.string('orderEventsTopicArn');
config.validate();

const logger = createLogger('order-service');
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

export async function handler(event: ALBEvent, context: Context): Promise<ALBResult> {
  logger.addContext(context);
  try {
    const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const order = await placeOrder(parseOrderRequest(body), deps);
    logger.info('order placed', { orderId: order.orderId, status: order.status, inventorySource: order.inventorySource });
    return json(201, order);
  } catch (error) {
    if (error instanceof InvalidOrderError) return json(400, { error: error.code, message: error.message });
    logger.error('order not placed', { error: error as Error });
    return json(502, { error: error instanceof HandlerError ? error.code : 'ORDER_FAILED', message: 'the order was not placed; retry later' });
  }
}
