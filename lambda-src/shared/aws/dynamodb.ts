import { AwsClientOptions, awsJsonService, CallOptions } from './client';

// DynamoDB in its wire format (attribute values as { S }, { N }, ...): what the stores
// write is exactly what the table holds, with no marshalling layer in between.

/** A DynamoDB attribute value; exactly one member is set. */
export interface AttributeValue {
  readonly S?: string;
  readonly N?: string;
  readonly B?: string;
  readonly BOOL?: boolean;
  readonly NULL?: boolean;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly L?: readonly AttributeValue[];
  readonly M?: Readonly<Record<string, AttributeValue>>;
}

export type DynamoItem = Record<string, AttributeValue>;

interface ExpressionInput {
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: DynamoItem;
}

export interface GetItemInput {
  readonly TableName: string;
  readonly Key: DynamoItem;
  readonly ConsistentRead?: boolean;
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
}

export interface PutItemInput extends ExpressionInput {
  readonly TableName: string;
  readonly Item: DynamoItem;
  readonly ConditionExpression?: string;
}

export interface UpdateItemInput extends ExpressionInput {
  readonly TableName: string;
  readonly Key: DynamoItem;
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}

export interface BatchGetItemInput {
  readonly RequestItems: Record<string, {
    readonly Keys: readonly DynamoItem[];
    readonly ConsistentRead?: boolean;
    readonly ProjectionExpression?: string;
    readonly ExpressionAttributeNames?: Record<string, string>;
  }>;
}

export interface BatchGetItemOutput {
  readonly Responses?: Record<string, DynamoItem[]>;
  /** Keys DynamoDB did not read this time (throughput, size): the caller asks again. */
  readonly UnprocessedKeys?: Record<string, { readonly Keys?: DynamoItem[] }>;
}

export interface DeleteItemInput extends ExpressionInput {
  readonly TableName: string;
  readonly Key: DynamoItem;
  readonly ConditionExpression?: string;
  readonly ReturnValues?: 'NONE' | 'ALL_OLD';
}

/** One put or delete of a BatchWriteItem. */
export type WriteRequest =
  | { readonly PutRequest: { readonly Item: DynamoItem }; readonly DeleteRequest?: never }
  | { readonly DeleteRequest: { readonly Key: DynamoItem }; readonly PutRequest?: never };

export interface BatchWriteItemInput {
  /** Up to 25 requests in all, by table. */
  readonly RequestItems: Record<string, readonly WriteRequest[]>;
}

export interface BatchWriteItemOutput {
  /** Requests DynamoDB did not carry out this time (throughput): the caller sends them again. */
  readonly UnprocessedItems?: Record<string, WriteRequest[]>;
}

/** One action of a TransactWriteItems; exactly one member is set. */
export interface TransactWriteItem {
  readonly Put?: PutItemInput;
  readonly Delete?: DeleteItemInput;
  readonly Update?: UpdateItemInput;
  readonly ConditionCheck?: ExpressionInput & { readonly TableName: string; readonly Key: DynamoItem; readonly ConditionExpression: string };
}

export interface TransactWriteItemsInput {
  /** Up to 100 actions, all or none applied. */
  readonly TransactItems: readonly TransactWriteItem[];
  readonly ClientRequestToken?: string;
}

interface PageInput extends ExpressionInput {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly ProjectionExpression?: string;
  readonly FilterExpression?: string;
  readonly ExclusiveStartKey?: DynamoItem;
  readonly Limit?: number;
}

export type ScanInput = PageInput;

export interface QueryInput extends PageInput {
  readonly KeyConditionExpression: string;
  readonly ScanIndexForward?: boolean;
}

/** One page of a Scan or Query; LastEvaluatedKey is set while there are more. */
export interface PageOutput {
  readonly Items?: DynamoItem[];
  readonly Count?: number;
  readonly LastEvaluatedKey?: DynamoItem;
}

/** The DynamoDB operations the handlers use. Errors are AwsServiceError (see errors.ts). */
export interface DynamoDb {
  getItem(input: GetItemInput, options?: CallOptions): Promise<{ Item?: DynamoItem }>;
  putItem(input: PutItemInput, options?: CallOptions): Promise<Record<string, never>>;
  updateItem(input: UpdateItemInput, options?: CallOptions): Promise<{ Attributes?: DynamoItem }>;
  deleteItem(input: DeleteItemInput, options?: CallOptions): Promise<{ Attributes?: DynamoItem }>;
  batchWriteItem(input: BatchWriteItemInput, options?: CallOptions): Promise<BatchWriteItemOutput>;
  transactWriteItems(input: TransactWriteItemsInput, options?: CallOptions): Promise<Record<string, never>>;
  batchGetItem(input: BatchGetItemInput, options?: CallOptions): Promise<BatchGetItemOutput>;
  scan(input: ScanInput, options?: CallOptions): Promise<PageOutput>;
  query(input: QueryInput, options?: CallOptions): Promise<PageOutput>;
}

/** DynamoDB over its AWS JSON 1.0 protocol. */
export function dynamoDb(options?: AwsClientOptions): DynamoDb {
  const call = awsJsonService('dynamodb', 'DynamoDB_20120810', '1.0', options);
  return {
    getItem: (input, o) => call<{ Item?: DynamoItem }>('GetItem', input, o),
    putItem: (input, o) => call<Record<string, never>>('PutItem', input, o),
    updateItem: (input, o) => call<{ Attributes?: DynamoItem }>('UpdateItem', input, o),
    deleteItem: (input, o) => call<{ Attributes?: DynamoItem }>('DeleteItem', input, o),
    batchWriteItem: (input, o) => call<BatchWriteItemOutput>('BatchWriteItem', input, o),
    transactWriteItems: (input, o) => call<Record<string, never>>('TransactWriteItems', input, o),
    batchGetItem: (input, o) => call<BatchGetItemOutput>('BatchGetItem', input, o),
    scan: (input, o) => call<PageOutput>('Scan', input, o),
    query: (input, o) => call<PageOutput>('Query', input, o),
  };
}
