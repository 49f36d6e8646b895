import {
  BatchGetItemCommand, BatchGetItemCommandInput, BatchWriteItemCommand, BatchWriteItemCommandInput, DeleteItemCommand, DeleteItemCommandInput,
  DynamoDBClient, TransactWriteItemsCommand, TransactWriteItemsCommandInput, GetItemCommand, GetItemCommandInput, PutItemCommand, PutItemCommandInput,
  QueryCommand, QueryCommandInput, ScanCommand, ScanCommandInput, UpdateItemCommand, UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { sdkCall, sdkClientConfig } from './sdk-call';
import type { AwsClientOptions } from '../../../lambda-src/shared/aws/client';
import type { BatchGetItemOutput, BatchWriteItemOutput, DynamoDb, DynamoItem, PageOutput } from '../../../lambda-src/shared/aws/dynamodb';

export function dynamoDb(options?: AwsClientOptions): DynamoDb {
  const client = new DynamoDBClient(sdkClientConfig(options));
  return {
    getItem: (input, call) => sdkCall('dynamodb', 'GetItem', options, call, async (abortSignal) => {
      const out = await client.send(new GetItemCommand(input as GetItemCommandInput), { abortSignal });
      return { Item: out.Item as DynamoItem | undefined };
    }),
    putItem: (input, call) => sdkCall('dynamodb', 'PutItem', options, call, async (abortSignal) => {
      await client.send(new PutItemCommand(input as PutItemCommandInput), { abortSignal });
      return {};
    }),
    updateItem: (input, call) => sdkCall('dynamodb', 'UpdateItem', options, call, async (abortSignal) => {
      const out = await client.send(new UpdateItemCommand(input as UpdateItemCommandInput), { abortSignal });
      return { Attributes: out.Attributes as DynamoItem | undefined };
    }),
    deleteItem: (input, call) => sdkCall('dynamodb', 'DeleteItem', options, call, async (abortSignal) => {
      const out = await client.send(new DeleteItemCommand(input as DeleteItemCommandInput), { abortSignal });
      return { Attributes: out.Attributes as DynamoItem | undefined };
    }),
    batchWriteItem: (input, call) => sdkCall('dynamodb', 'BatchWriteItem', options, call, async (abortSignal) => {
      const out = await client.send(new BatchWriteItemCommand(input as BatchWriteItemCommandInput), { abortSignal });
      return { UnprocessedItems: out.UnprocessedItems } as BatchWriteItemOutput;
    }),
    transactWriteItems: (input, call) => sdkCall('dynamodb', 'TransactWriteItems', options, call, async (abortSignal) => {
      await client.send(new TransactWriteItemsCommand(input as TransactWriteItemsCommandInput), { abortSignal });
      return {};
    }),
    batchGetItem: (input, call) => sdkCall('dynamodb', 'BatchGetItem', options, call, async (abortSignal) => {
      const out = await client.send(new BatchGetItemCommand(input as BatchGetItemCommandInput), { abortSignal });
      return { Responses: out.Responses, UnprocessedKeys: out.UnprocessedKeys } as BatchGetItemOutput;
    }),
    scan: (input, call) => sdkCall('dynamodb', 'Scan', options, call, async (abortSignal) => {
      const out = await client.send(new ScanCommand(input as ScanCommandInput), { abortSignal });
      return { Items: out.Items, Count: out.Count, LastEvaluatedKey: out.LastEvaluatedKey } as PageOutput;
    }),
    query: (input, call) => sdkCall('dynamodb', 'Query', options, call, async (abortSignal) => {
      const out = await client.send(new QueryCommand(input as QueryCommandInput), { abortSignal });
      return { Items: out.Items, Count: out.Count, LastEvaluatedKey: out.LastEvaluatedKey } as PageOutput;
    }),
  };
}
