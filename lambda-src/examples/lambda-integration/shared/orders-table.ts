import { Item, s } from './item';
import type { DynamoDb } from '../../../shared/aws/dynamodb';

/** An order item by id, read consistently: a step that runs right after a write must see it. */
export async function readOrderItem(client: DynamoDb, ordersTable: string, orderId: string): Promise<Item | undefined> {
  const { Item: item } = await client.getItem({ TableName: ordersTable, Key: { orderId: s(orderId) }, ConsistentRead: true });
  return item;
}
