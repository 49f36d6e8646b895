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

export interface QueryInput extends ExpressionInput {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly KeyConditionExpression: string;
  readonly Limit?: number;
  readonly ScanIndexForward?: boolean;
  readonly ExclusiveStartKey?: DynamoItem;
}

export interface QueryOutput {
  readonly Items?: DynamoItem[];
  readonly Count?: number;
  readonly LastEvaluatedKey?: DynamoItem;
}

/** The DynamoDB operations the handlers use. Errors are AwsServiceError (see errors.ts). */
export interface DynamoDb {
  getItem(input: GetItemInput, options?: CallOptions): Promise<{ Item?: DynamoItem }>;
  putItem(input: PutItemInput, options?: CallOptions): Promise<Record<string, never>>;
  updateItem(input: UpdateItemInput, options?: CallOptions): Promise<{ Attributes?: DynamoItem }>;
  query(input: QueryInput, options?: CallOptions): Promise<QueryOutput>;
}

/** DynamoDB over its AWS JSON 1.0 protocol. */
export function dynamoDb(options?: AwsClientOptions): DynamoDb {
  const call = awsJsonService('dynamodb', 'DynamoDB_20120810', '1.0', options);
  return {
    getItem: (input, o) => call<{ Item?: DynamoItem }>('GetItem', input, o),
    putItem: (input, o) => call<Record<string, never>>('PutItem', input, o),
    updateItem: (input, o) => call<{ Attributes?: DynamoItem }>('UpdateItem', input, o),
    query: (input, o) => call<QueryOutput>('Query', input, o),
  };
}
