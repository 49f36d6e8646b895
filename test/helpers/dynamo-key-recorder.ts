import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback proxy in front of a DynamoDB engine (dynalite) that records, for every call,
// the partition keys it touches and the access key that signed it. dynalite does not
// evaluate IAM, so tests prove tenant isolation from this record instead: every key a
// request touches must be led by the caller's tenant, and every call must be signed with
// the session credentials STS issued for that tenant.

/** One DynamoDB call as the proxy saw it. */
export interface DynamoCall {
  /** e.g. `GetItem`, `Query`. */
  readonly operation: string;
  readonly table?: string;
  readonly index?: string;
  /** The access key id of the signature (`Credential=<id>/...`). */
  readonly accessKeyId?: string;
  /** Whether the call carried a session token (temporary credentials). */
  readonly sessionToken?: string;
  /**
   * Every partition-key value the call names: `pk` of Key, Item and ExclusiveStartKey
   * (and ConditionCheck, Put, Update, Delete of transactions), and the value a Query's key
   * condition sets its partition key to.
   */
  readonly partitionKeys: string[];
}

export interface DynamoKeyRecorder {
  /** `http://127.0.0.1:<port>`: point AWS_ENDPOINT_URL_DYNAMODB here. */
  readonly endpoint: string;
  readonly calls: DynamoCall[];
  /** Calls made since `mark` (an index into `calls`). */
  since(mark: number): DynamoCall[];
  stop(): Promise<void>;
}

type Json = Record<string, any>;

function keyValues(key: Json | undefined): string[] {
  if (!key || typeof key !== 'object') return [];
  // Every string attribute of a key: pk, and the index keys (tenantId, deviceId) of a cursor.
  return Object.entries(key).filter(([name]) => name === 'pk' || name === 'tenantId').map(([, v]) => (v as Json)?.S).filter((v): v is string => typeof v === 'string');
}

/** The value `<name> = :<placeholder>` sets in a key condition, for the first equality (the partition key's). */
function queryPartitionKey(body: Json): string[] {
  const match = /^\s*#?(\w+)\s*=\s*(:\w+)/.exec(String(body.KeyConditionExpression ?? ''));
  const value = match ? body.ExpressionAttributeValues?.[match[2]]?.S : undefined;
  return typeof value === 'string' ? [value] : [];
}

function partitionKeys(operation: string, body: Json): string[] {
  const keys = [...keyValues(body.Key), ...keyValues(body.Item), ...keyValues(body.ExclusiveStartKey)];
  if (operation === 'Query') keys.push(...queryPartitionKey(body));
  for (const action of body.TransactItems ?? []) {
    for (const part of Object.values(action as Json)) keys.push(...keyValues((part as Json).Key), ...keyValues((part as Json).Item));
  }
  for (const requests of Object.values((body.RequestItems ?? {}) as Json)) {
    const list = Array.isArray(requests) ? requests : (requests as Json).Keys ?? [];
    for (const r of list as Json[]) keys.push(...keyValues(r.PutRequest?.Item), ...keyValues(r.DeleteRequest?.Key), ...keyValues(r));
  }
  return keys;
}

/** Start the proxy in front of `target` (dynalite's endpoint). */
export async function startDynamoKeyRecorder(target: string): Promise<DynamoKeyRecorder> {
  const calls: DynamoCall[] = [];
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
      let body: Json = {};
      try {
        body = JSON.parse(raw.toString('utf8')) as Json;
      } catch {
        // recorded without keys; the engine answers the error
      }
      calls.push({
        operation,
        table: body.TableName,
        index: body.IndexName,
        accessKeyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1],
        sessionToken: req.headers['x-amz-security-token'] as string | undefined,
        partitionKeys: partitionKeys(operation, body),
      });
      const forward = http.request({
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        agent,
        headers: { ...req.headers, host: upstream.host },
      }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    since: (mark) => calls.slice(mark),
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
