import { startDynalite, LocalDynamo, LOCAL_CREDENTIALS } from './dynalite';
import { startTransactingProxy, TransactingDynamo } from './dynalite-transactions';
import { DynamoDb, dynamoDb } from '../../lambda-src/shared/aws/dynamodb';
import { AwsServiceError } from '../../lambda-src/shared/aws/errors';

// The TransactWriteItems stand-in in front of dynalite, through the handlers' own client.

const TABLE = 'transactions';
let dynamo: LocalDynamo;
let proxy: TransactingDynamo;
let db: DynamoDb;

beforeAll(async () => {
  dynamo = await startDynalite();
  proxy = await startTransactingProxy(dynamo.endpoint);
  db = dynamoDb({ endpoint: proxy.endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  await dynamo.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
});

afterAll(async () => {
  await proxy.stop();
  await dynamo.stop();
});

const item = (pk: string, v: string) => ({ pk: { S: pk }, sk: { S: 'x' }, v: { S: v } });
const all = async () => ((await db.scan({ TableName: TABLE })).Items ?? []).map((i) => `${i.pk.S}=${i.v.S}`).sort();

test('a transaction whose conditions hold writes all of its items, and other operations pass through to dynalite', async () => {
  await db.transactWriteItems({ TransactItems: [{ Put: { TableName: TABLE, Item: item('a', '1') } }, { Put: { TableName: TABLE, Item: item('b', '1') } }] });
  expect(await all()).toEqual(['a=1', 'b=1']);
  expect(proxy.transactions()).toBe(1);
});

test('a failed condition cancels the transaction with its reasons and undoes the actions already applied', async () => {
  await db.putItem({ TableName: TABLE, Item: item('c', 'old') });
  const before = await all();
  const failure = await db.transactWriteItems({
    TransactItems: [
      { Put: { TableName: TABLE, Item: item('c', 'new') } },
      { Delete: { TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: 'x' } } } },
      { Put: { TableName: TABLE, Item: item('b', '2'), ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
  }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(AwsServiceError);
  expect((failure as AwsServiceError).code).toBe('TransactionCanceledException');
  expect((failure as AwsServiceError).message).toContain('[None, None, ConditionalCheckFailed]');
  expect(await all()).toEqual(before);
});
