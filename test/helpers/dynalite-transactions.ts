import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AttributeValue, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItem, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from './dynalite';

/**
 * dynalite answers TransactWriteItems with UnknownOperationException. This loopback proxy
 * forwards every other DynamoDB request to it unchanged and carries out TransactWriteItems
 * itself: each action in turn with its own condition, every touched item saved first, and
 * on the first failed condition everything already done undone and the call answered with
 * TransactionCanceledException and its CancellationReasons, as DynamoDB does. Actions of one
 * transaction touch distinct items (DynamoDB rejects anything else), so applying them one by
 * one checks each condition against the state before the transaction. Atomic only against
 * callers that do not write the same items meanwhile: good for handler tests, not a DynamoDB.
 */
export interface TransactingDynamo {
  /** `http://127.0.0.1:<port>`: point AWS_ENDPOINT_URL_DYNAMODB here. */
  readonly endpoint: string;
  /** TransactWriteItems calls carried out (committed or cancelled). */
  readonly transactions: () => number;
  stop(): Promise<void>;
}

type Key = Record<string, AttributeValue>;
const TARGET_PREFIX = 'DynamoDB_20120810.';

export async function startTransactingProxy(dynaliteEndpoint: string): Promise<TransactingDynamo> {
  const target = new URL(dynaliteEndpoint);
  const db = new DynamoDBClient({ endpoint: dynaliteEndpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const keySchemas = new Map<string, string[]>();
  let count = 0;

  const keyNames = async (table: string) => {
    let names = keySchemas.get(table);
    if (!names) {
      const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
      names = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
      keySchemas.set(table, names);
    }
    return names;
  };

  const transact = async (items: TransactWriteItem[]): Promise<{ status: number; body: object }> => {
    count++;
    const undo: Array<() => Promise<unknown>> = [];
    const reasons: Array<{ Code: string; Message?: string }> = items.map(() => ({ Code: 'None' }));
    const rollBack = async () => {
      for (const step of undo.reverse()) await step();
    };
    for (const [index, item] of items.entries()) {
      const action = item.Put ?? item.Delete ?? item.Update ?? item.ConditionCheck;
      if (!action) return { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message: `TransactItems[${index}] has no action` } };
      const table = action.TableName!;
      const condition = {
        ConditionExpression: action.ConditionExpression,
        ExpressionAttributeNames: action.ExpressionAttributeNames,
        ExpressionAttributeValues: action.ExpressionAttributeValues,
      };
      let key: Key;
      let before: Key | undefined;
      try {
        key = item.Put ? Object.fromEntries((await keyNames(table)).map((name) => [name, item.Put!.Item![name]])) : (action as { Key: Key }).Key;
        before = (await db.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
        await applyAction(db, item, table, key, before, condition);
      } catch (error) {
        await rollBack();
        const name = (error as Error).name;
        if (name !== 'ConditionalCheckFailedException') {
          return { status: 400, body: { __type: `com.amazonaws.dynamodb.v20120810#${name}`, message: (error as Error).message } };
        }
        reasons[index] = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
        return {
          status: 400,
          body: {
            __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
            message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
            CancellationReasons: reasons,
          },
        };
      }
      undo.push(() => (before
        ? db.send(new PutItemCommand({ TableName: table, Item: before }))
        : db.send(new DeleteItemCommand({ TableName: table, Key: key }))));
    }
    return { status: 200, body: {} };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.headers['x-amz-target'] === `${TARGET_PREFIX}TransactWriteItems`) {
        void transact((JSON.parse(body.toString('utf8')) as { TransactItems: TransactWriteItem[] }).TransactItems).then(
          ({ status, body: answer }) => {
            res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
            res.end(JSON.stringify(answer));
          },
          (error: Error) => {
            res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
            res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: error.message }));
          });
        return;
      }
      const options = { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers };
      const forward = http.request(options, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    transactions: () => count,
    async stop() {
      db.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Condition = Pick<TransactWriteItem['Put'] & object, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/** Carry out one transaction action as a single-item write under its own condition. */
async function applyAction(
  db: DynamoDBClient, item: TransactWriteItem, table: string, key: Key, before: Key | undefined, condition: Condition,
): Promise<void> {
  if (item.Put) {
    await db.send(new PutItemCommand({ TableName: table, Item: item.Put.Item, ...condition }));
    return;
  }
  if (item.Delete) {
    await db.send(new DeleteItemCommand({ TableName: table, Key: key, ...condition }));
    return;
  }
  if (item.Update) {
    await db.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: item.Update.UpdateExpression, ...condition }));
    return;
  }
  // a condition check writes back what is there (or deletes nothing) under its condition
  if (before) await db.send(new PutItemCommand({ TableName: table, Item: before, ...condition }));
  else await db.send(new DeleteItemCommand({ TableName: table, Key: key, ...condition }));
}
