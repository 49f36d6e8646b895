import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, CreateTableCommandInput, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoDb, dynamoDb } from '../../lambda-src/shared/aws/dynamodb';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => http.Server;

/** An in-memory DynamoDB-compatible server on a random loopback port. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A new SDK client for the server, for setting up and reading tables in tests. */
  client(): DynamoDBClient;
  /** The handlers' DynamoDB client pointed at the server (each simulated execution environment wants its own). */
  dynamoDb(): DynamoDb;
  /** Create a table and wait until it is ACTIVE. */
  createTable(input: CreateTableCommandInput): Promise<void>;
  /** Stop the server (connections are closed). */
  stop(): Promise<void>;
}

/** Fake credentials: dynalite checks that a signature exists, not that it is valid. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Start dynalite in-process. Table operations complete immediately (no CREATING delay). */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const client = (): DynamoDBClient => {
    const c = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
    });
    clients.push(c);
    return c;
  };
  return {
    endpoint,
    client,
    dynamoDb: () => dynamoDb({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }),
    async createTable(input) {
      const c = client();
      await c.send(new CreateTableCommand(input));
      await waitUntilTableExists({ client: c, maxWaitTime: 30, minDelay: 1 }, { TableName: input.TableName });
    },
    async stop() {
      for (const c of clients) c.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
