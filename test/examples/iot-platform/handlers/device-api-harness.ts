import { BatchWriteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createPairTable, createRegistryTable } from './iot-tables';
import { DEVICE_API_SETTINGS_VARIABLE, DeviceApiSettings } from '../../../../examples/iot-platform/device-api-settings';
import { captureOutput } from '../../../helpers/capture-output';
import { CognitoIdpStub, startCognitoIdpStub } from '../../../helpers/cognito-idp-stub';
import { LocalDynamo, LOCAL_CREDENTIALS, startDynalite } from '../../../helpers/dynalite';
import { DynamoCall, DynamoKeyRecorder, startDynamoKeyRecorder } from '../../../helpers/dynamo-key-recorder';
import { LoopbackResponse, LoopbackServer, startLoopbackServer } from '../../../helpers/http-server';
import { startStsStub, StsStub } from '../../../helpers/sts-stub';
import { BreakerHandler, invocationContext, loadBreakerEnvironment } from '../../../lambda/circuit-breaker-bundle';
import { createCircuitTable, TABLE_NAME as CIRCUIT_TABLE } from '../../../lambda/circuit-breaker-harness';

// The world the device-api bundle runs in, all on loopback: dynalite behind a recording
// proxy (which keys, signed by whom), STS, a Cognito user pool, the Lambda Invoke API
// running the real circuit-breaker bundle in front of a stand-in device-service, and a
// WebSocket stage's @connections endpoint.

export const BUNDLE = require.resolve('../../../../assets/examples/iot-platform/device-api/index.js');

export const SETTINGS: DeviceApiSettings = {
  registryTable: 'iot-device-registry',
  byTenantIndex: 'byTenant',
  readingsTable: 'iot-readings',
  tenantDataRoleArn: 'arn:aws:iam::123456789012:role/iot-tenant-data',
  userPoolId: 'eu-west-1_devices',
  statusBreakerFunction: 'device-service-breaker',
  connectionsTable: 'iot-connections',
  commandsCallbackUrl: 'https://ws0123.execute-api.eu-west-1.amazonaws.com/prod',
};

/** The breaker's static fallback, as the stack configures it (DESIGN-NOTES 4.8). */
export const FALLBACK_BODY = '{"connectivity":"unknown","source":"fallback"}';

export type DeviceApiHandler = (event: unknown, context?: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Record<string, string>;
  /** The DynamoDB calls the request made (the breaker's own state calls excluded). */
  readonly dynamoCalls: DynamoCall[];
}

export interface EventParts {
  readonly tenant?: string | null;
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly isBase64Encoded?: boolean;
}

/** A REST API proxy event as API Gateway sends it behind the library authorizer (context: tenantId, sub, scopes, authType). */
export function restEvent(method: string, resource: string, parts: EventParts = {}) {
  const path = Object.entries(parts.path ?? {}).reduce((p, [name, value]) => p.replace(`{${name}}`, value), resource);
  return {
    resource,
    path,
    httpMethod: method,
    headers: { 'content-type': 'application/json', ...parts.headers },
    queryStringParameters: parts.query ?? null,
    pathParameters: parts.path ?? null,
    body: parts.body === undefined ? null : typeof parts.body === 'string' ? parts.body : JSON.stringify(parts.body),
    isBase64Encoded: parts.isBase64Encoded ?? false,
    requestContext: {
      requestId: 'req-1',
      resourcePath: resource,
      httpMethod: method,
      authorizer: parts.tenant === null ? undefined : { principalId: 'sub-operator', tenantId: parts.tenant ?? 'tenant-a', sub: 'sub-operator', scopes: '', authType: 'jwt' },
    },
  };
}

export class DeviceApiWorld {
  public static async start(): Promise<DeviceApiWorld> {
    const dynamo = await startDynalite();
    await createTables(dynamo);
    const world = new DeviceApiWorld(dynamo, await startDynamoKeyRecorder(dynamo.endpoint), await startStsStub(), await startCognitoIdpStub(),
      await startLoopbackServer(), await startLoopbackServer((r) => ({ status: 200, body: `{"deviceId":"${r.url.split('/')[3]}","connectivity":"online","variant":"a"}` })),
      await startLoopbackServer());
    world.connections.respondWith((r) => (world.goneConnections.has(decodeURIComponent(r.url.split('/').pop() ?? ''))
      ? { status: 410, headers: { 'x-amzn-errortype': 'GoneException' }, body: '{"message":"gone"}' }
      : { status: 204 }));
    world.lambdaApi.respondWith((r) => world.invoke(r.url, r.body));
    Object.assign(process.env, {
      [DEVICE_API_SETTINGS_VARIABLE]: JSON.stringify(SETTINGS),
      AWS_ENDPOINT_URL_DYNAMODB: world.recorder.endpoint,
      AWS_ENDPOINT_URL_STS: world.sts.url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: world.cognito.url,
      AWS_ENDPOINT_URL_LAMBDA: world.lambdaApi.url,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: world.connections.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_DEV: 'false',
    });
    world.breaker = loadBreakerEnvironment({
      name: 'device-service',
      target: { type: 'http', url: world.deviceService.url },
      fallback: { type: 'static', statusCode: 200, body: FALLBACK_BODY, headers: { 'content-type': 'application/json' } },
      consecutiveFailureThreshold: 3,
    });
    world.handler = world.loadEnvironment();
    return world;
  }

  /** Every log line the device-api and breaker bundles wrote. */
  public readonly logs: string[] = [];
  /** Connection ids whose client already left (@connections answers 410). */
  public readonly goneConnections = new Set<string>();
  public handler!: DeviceApiHandler;
  private breaker!: BreakerHandler;
  private readonly saved = { ...process.env };

  private constructor(
    public readonly dynamo: LocalDynamo,
    public readonly recorder: DynamoKeyRecorder,
    public readonly sts: StsStub,
    public readonly cognito: CognitoIdpStub,
    /** The Lambda Invoke API: runs the circuit-breaker bundle. */
    public readonly lambdaApi: LoopbackServer,
    /** The stand-in for device-service behind the ALB. */
    public readonly deviceService: LoopbackServer,
    /** The WebSocket stage's @connections endpoint. */
    public readonly connections: LoopbackServer,
  ) {}

  /** A new execution environment of the device-api bundle (its own session cache). */
  public loadEnvironment(): DeviceApiHandler {
    let handler: DeviceApiHandler | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = require(BUNDLE).handler;
    });
    return handler!;
  }

  /** Invoke the handler with `event`; its log lines are kept in `logs`. */
  public async call(event: unknown, handler: DeviceApiHandler = this.handler): Promise<Answer> {
    const mark = this.recorder.calls.length;
    let result: Awaited<ReturnType<DeviceApiHandler>> | undefined;
    this.logs.push(...await captureOutput(async () => {
      result = await handler(event, { awsRequestId: 'lambda-1', functionName: 'device-api' });
    }));
    let body: any;
    try {
      body = result!.body === '' ? undefined : JSON.parse(result!.body);
    } catch {
      body = undefined;
    }
    const dynamoCalls = this.recorder.since(mark).filter((c) => c.table !== CIRCUIT_TABLE);
    return { status: result!.statusCode, body, text: result!.body, headers: result!.headers, dynamoCalls };
  }

  /** Register a device through the API (v2 body) and return the answer. */
  public async register(tenant: string, deviceId: string, extra: Record<string, unknown> = {}): Promise<Answer> {
    const answer = await this.call(restEvent('POST', '/v2/devices', { tenant, body: { deviceId, model: 'TH-20', firmwareVersion: '1.4.2', ...extra } }));
    if (answer.status !== 201) throw new Error(`registration of ${tenant}/${deviceId} answered ${answer.status}: ${answer.text}`);
    return answer;
  }

  /** The registry item of a device, read directly from the engine. */
  public async registryItem(tenant: string, deviceId: string): Promise<Record<string, AttributeValue> | undefined> {
    const { Item } = await this.dynamo.client().send(new GetItemCommand({ TableName: SETTINGS.registryTable, Key: { pk: { S: `T#${tenant}#D#${deviceId}` }, sk: { S: 'META' } } }));
    return Item;
  }

  public async putItem(table: string, item: Record<string, AttributeValue>): Promise<void> {
    await this.dynamo.client().send(new PutItemCommand({ TableName: table, Item: item }));
  }

  /** Write readings `values` for a device, one a second from `startMs`. */
  public async seedReadings(tenant: string, deviceId: string, startMs: number, values: number[]): Promise<void> {
    const items = values.map((value, i) => {
      const ms = startMs + i * 1000;
      return {
        pk: { S: `T#${tenant}#D#${deviceId}` },
        sk: { S: `R#${String(ms).padStart(13, '0')}#000` },
        tenantId: { S: tenant },
        deviceId: { S: deviceId },
        metric: { S: 'temperature' },
        value: { N: String(value) },
        ts: { S: new Date(ms).toISOString() },
      };
    });
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      await this.dynamo.client().send(new BatchWriteItemCommand({ RequestItems: { [SETTINGS.readingsTable]: batch } }));
    }
  }

  public async stop(): Promise<void> {
    process.env = { ...this.saved };
    const servers = [this.recorder, this.sts, this.cognito, this.lambdaApi, this.deviceService, this.connections];
    await Promise.all(servers.map((server) => server.stop()));
    await this.dynamo.stop();
  }

  /** The Invoke API: the breaker bundle answers, a thrown error becomes a FunctionError as Lambda reports it. */
  private async invoke(url: string, payload: string): Promise<LoopbackResponse> {
    if (!url.startsWith(`/2015-03-31/functions/${SETTINGS.statusBreakerFunction}/invocations`)) {
      return { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{"message":"Function not found"}' };
    }
    // The breaker runs inside the device-api invocation, whose output `call` already captures.
    try {
      return { status: 200, body: JSON.stringify(await this.breaker(JSON.parse(payload), invocationContext())) };
    } catch (error) {
      return { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: JSON.stringify({ errorType: (error as Error).name, errorMessage: (error as Error).message }) };
    }
  }
}

/**
 * What tenant isolation means at the data layer, checked on a request's calls: each was
 * signed with session credentials STS issued with the tag tenantId=<tenant>, and every key
 * it names is led by `T#<tenant>#` (or is the bare tenant, the byTenant index's key), which
 * is what the tenant data role's dynamodb:LeadingKeys condition admits.
 */
export function expectTenantScoped(world: DeviceApiWorld, calls: DynamoCall[], tenant: string): void {
  for (const call of calls) {
    expect({ operation: call.operation, tags: world.sts.tagsOf(call.accessKeyId ?? '') }).toEqual({ operation: call.operation, tags: { tenantId: tenant } });
    expect(call.sessionToken).toEqual(expect.stringMatching(/^token-\d+$/));
    for (const key of call.partitionKeys) {
      expect({ operation: call.operation, key, ok: key.startsWith(`T#${tenant}#`) || key === tenant }).toEqual({ operation: call.operation, key, ok: true });
    }
  }
}

async function createTables(dynamo: LocalDynamo): Promise<void> {
  await createRegistryTable(dynamo, SETTINGS.registryTable);
  for (const table of [SETTINGS.readingsTable, SETTINGS.connectionsTable]) await createPairTable(dynamo, table);
  await createCircuitTable(dynamo, CIRCUIT_TABLE);
}
