import * as path from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createRegistryTable as createIotRegistryTable, createPairTable } from './iot-tables';
import type { DynamoItem } from '../../../../lambda-src/shared/aws/dynamodb';
import { LocalDynamo } from '../../../helpers/dynalite';
import { LoopbackResponse, LoopbackServer, RecordedRequest, startLoopbackServer } from '../../../helpers/http-server';
import { BundleHandler, lambdaContext } from '../../../lambda/lambda-integration/harness';

// Local engines for the IoT platform's WebSocket handlers: the Connections and DeviceRegistry
// tables in dynalite (with the registry's bySub index), and the stage's @connections API on
// loopback. The shipped bundles run with their real clients (lambda-src/shared/aws) pointed
// at them through AWS_ENDPOINT_URL_*.

export const CONNECTIONS_TABLE = 'connections';
export const REGISTRY_TABLE = 'device-registry';
export const BY_SUB_INDEX = 'bySub';
/** The stack's default: 2 h 5 min. */
export const CONNECTION_TTL_SECONDS = 7_500;
export const CONNECTIONS_SETTINGS = { connectionsTable: CONNECTIONS_TABLE, connectionTtlSeconds: CONNECTION_TTL_SECONDS };

export async function createConnectionsTable(dynamo: LocalDynamo): Promise<void> {
  await createPairTable(dynamo, CONNECTIONS_TABLE);
}

export async function createRegistryTable(dynamo: LocalDynamo): Promise<void> {
  await createIotRegistryTable(dynamo, REGISTRY_TABLE);
}

export async function dropTable(dynamo: LocalDynamo, name: string): Promise<void> {
  await dynamo.client().send(new DeleteTableCommand({ TableName: name }));
}

/** A registry entry as device-api writes it. */
export function registryItem(tenant: string, device: string, sub: string, status: 'active' | 'decommissioned' = 'active'): DynamoItem {
  return {
    pk: { S: `T#${tenant}#D#${device}` },
    sk: { S: 'META' },
    tenantId: { S: tenant },
    deviceId: { S: device },
    sub: { S: sub },
    username: { S: `${tenant}.${device}` },
    status: { S: status },
    createdAt: { S: '2026-12-01T00:00:00.000Z' },
  };
}

/** Every item of the connections table, as `pk|sk` → item, for exact comparisons. */
export async function connectionItems(dynamo: LocalDynamo): Promise<Record<string, DynamoItem>> {
  const { Items = [] } = await dynamo.dynamoDb().scan({ TableName: CONNECTIONS_TABLE });
  return Object.fromEntries(Items.map((item) => [`${item.pk.S}|${item.sk.S}`, item]));
}

/**
 * A fresh module instance of a shipped IoT platform bundle with its settings variable set;
 * with `logs`, its logger writes INFO and above (the level is read at init).
 */
export function loadIotBundle(name: string, settingsVariable: string, settings: unknown, options: { logs?: boolean } = {}): BundleHandler {
  process.env[settingsVariable] = typeof settings === 'string' ? settings : JSON.stringify(settings);
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  if (options.logs) process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  let handler: BundleHandler | undefined;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = require(bundlePath(name)).handler;
    });
  } finally {
    if (level === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = level;
  }
  return handler!;
}

export function bundlePath(name: string): string {
  return path.join(__dirname, '..', '..', '..', '..', 'assets', 'examples', 'iot-platform', name, 'index.js');
}

/** The event API Gateway gives a WebSocket route integration (Lambda proxy). */
export function routeEvent(
  routeKey: string, connectionId: string, extra: { body?: string; authorizer?: Record<string, unknown>; isBase64Encoded?: boolean } = {},
): Record<string, unknown> {
  const eventType = routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
  return {
    requestContext: {
      routeKey,
      eventType,
      connectionId,
      messageId: eventType === 'MESSAGE' ? 'msg-1' : undefined,
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      stage: 'prod',
      apiId: 'abc123',
      requestId: `req-${connectionId}`,
      connectedAt: 1_764_800_000_000,
      requestTimeEpoch: 1_764_800_000_000,
      ...(extra.authorizer ? { authorizer: { principalId: extra.authorizer.sub, integrationLatency: 12, ...extra.authorizer } } : {}),
    },
    ...(extra.body !== undefined ? { body: extra.body } : {}),
    isBase64Encoded: extra.isBase64Encoded ?? false,
  };
}

export { lambdaContext };

/**
 * The stage's @connections API on loopback: `POST /prod/@connections/<id>` answers 200
 * while `<id>` is live, 410 GoneException once it is not (as API Gateway does).
 */
export type ConnectionsApi = LoopbackServer & {
  readonly live: Set<string>;
  /** The posts received so far: target connection and parsed message. */
  posts(): Array<{ connectionId: string; body: any }>;
  /** Forget requests and live connections and answer as described again. */
  reset(): void;
};

const connectionIdOf = (url: string) => decodeURIComponent(/\/@connections\/([^/?]+)/.exec(url)?.[1] ?? '');

export async function startConnectionsApi(): Promise<ConnectionsApi> {
  const live = new Set<string>();
  const answer = (request: RecordedRequest): LoopbackResponse => (live.has(connectionIdOf(request.url))
    ? { status: 200, body: '' }
    : { status: 410, headers: { 'x-amzn-errortype': 'GoneException' }, body: '{"message":null}' });
  const server = await startLoopbackServer(answer);
  return Object.assign(server, {
    live,
    posts: () => server.requests.filter((r) => r.method === 'POST').map((r) => ({ connectionId: connectionIdOf(r.url), body: JSON.parse(r.body) })),
    reset: () => {
      server.requests.length = 0;
      live.clear();
      server.respondWith(answer);
    },
  });
}
