import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynalite } from './dynalite';
import { startLoopbackServer } from './http-server';

describe('dynalite fixture', () => {
  test('serves DynamoDB on loopback with conditional writes', async () => {
    const dynamo = await startDynalite();
    try {
      expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await dynamo.createTable({
        TableName: 'fixture-table',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      const client = dynamo.client();
      await client.send(new PutItemCommand({ TableName: 'fixture-table', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
      await expect(client.send(new PutItemCommand({
        TableName: 'fixture-table',
        Item: { pk: { S: 'a' }, v: { N: '2' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
      const { Item } = await client.send(new GetItemCommand({ TableName: 'fixture-table', Key: { pk: { S: 'a' } }, ConsistentRead: true }));
      expect(Item?.v).toEqual({ N: '1' });
    } finally {
      await dynamo.stop();
    }
  });
});

describe('loopback HTTP fixture', () => {
  test('records requests and switches between healthy, failing, slow and hanging', async () => {
    const server = await startLoopbackServer();
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);

      server.respondWith(() => ({ status: 503, body: '{"error":"down"}' }));
      const failing = await fetch(`${server.url}/items`, { method: 'POST', body: '{"n":1}' });
      expect(failing.status).toBe(503);
      expect(await failing.json()).toEqual({ error: 'down' });

      server.respondWith(() => ({ status: 200, delayMs: 150 }));
      const started = Date.now();
      await fetch(server.url);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);

      server.respondWith(() => ({ hang: true }));
      await expect(fetch(server.url, { signal: AbortSignal.timeout(100) })).rejects.toThrow();

      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /health', 'POST /items', 'GET /', 'GET /']);
      expect(server.requests[1].body).toBe('{"n":1}');
    } finally {
      await server.stop();
    }
  });
});
