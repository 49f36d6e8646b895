import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Item, s } from './item';

/** An order item by id, read consistently: a step that runs right after a write must see it. */
export async function readOrderItem(client: DynamoDBClient, ordersTable: string, orderId: string): Promise<Item | undefined> {
  const { Item: item } = await client.send(new GetItemCommand({ TableName: ordersTable, Key: { orderId: s(orderId) }, ConsistentRead: true }));
  return item;
}
