import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Case } from './init-case';
import { ALERT_NOTIFIER_SETTINGS_VARIABLE, AlertNotifierSettings } from '../../examples/iot-platform/alert-notifier-settings';
import { ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, AnalyticsAggregatorSettings } from '../../examples/iot-platform/analytics-aggregator-settings';
import { DEVICE_API_SETTINGS_VARIABLE, DeviceApiSettings } from '../../examples/iot-platform/device-api-settings';
import { TELEMETRY_CONSUMER_SETTINGS_VARIABLE, TelemetryConsumerSettings } from '../../examples/iot-platform/telemetry-consumer-settings';
import { WS_AUTHORIZER_SETTINGS_VARIABLE, WsAuthorizerSettings } from '../../examples/iot-platform/ws-authorizer-settings';
import { WS_CONNECTIONS_SETTINGS_VARIABLE, WsConnectionsSettings } from '../../examples/iot-platform/ws-connections-settings';
import {
  BY_SUB_INDEX, CONNECTIONS_TABLE, createIotTables, fanoutRecord, kinesisRecord, READINGS_TABLE, registerDevice, REGISTRY_TABLE,
  thresholdEvent, TOPIC_ARN,
} from '../../test/examples/iot-platform/handlers/telemetry-consumer-harness';
import type { LocalDynamo } from '../../test/helpers/dynalite';
import { startTransactingProxy } from '../../test/helpers/dynalite-transactions';
import { startLoopbackServer } from '../../test/helpers/http-server';
import { startJwksServer } from '../../test/helpers/https-jwks-server';
import { startSqsStub } from '../../test/helpers/sqs-stub';
import { startStsStub } from '../../test/helpers/sts-stub';

// The IoT platform's eight handlers (lambda-src/examples/iot-platform) for bench/init-time:
// the settings the stack writes (examples/iot-platform/*-settings.ts), the DeviceRegistry,
// Readings and Connections tables of IOT-DATA.md in the bench's dynalite (built by the
// handler tests' own helper, so the schema is the one the tests prove), and loopback
// stand-ins for the services dynalite is not: STS (device-api assumes the tenant data role
// before any table call), the rejected-telemetry queue, the stage's @connections API, the
// user pool's JWKS over TLS (aws-jwt-verify fetches https only). dynalite has no
// TransactWriteItems, so the tables are reached through the tests' transacting proxy
// (ws-connect writes its two items in one transaction). Each first event is the common
// request of its handler, made fresh per call (the bench calls event(i) once per variant).

const TENANT = 'tenant-a';
/** The device a token, a Kinesis partition key and a command name. */
const DEVICE = { tenantId: TENANT, deviceId: 'sensor-1', sub: '11111111-aaaa-4000-8000-000000000001' };
/** The operator whose connection sends commands and receives alerts. */
const OPERATOR_CONNECTION = 'conn-op-1';
const DEVICE_CONNECTION = 'conn-sensor-1';
const STAGE_DOMAIN = 'abc123.execute-api.eu-west-1.amazonaws.com';
const CALLBACK_URL = `https://${STAGE_DOMAIN}/prod`;
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_BenchPool';
const DEVICE_CLIENT = 'bench-device-client';
const SDK_SWAP = 'the SDK variants swap only DynamoDB';

export interface IotInitCases {
  readonly cases: Case[];
  stop(): Promise<void>;
}

/** Creates the IoT tables in `dynamo`, starts the stand-ins and returns the cases; `workDir` holds the JWKS server's CA file. */
export async function startIotInitCases(dynamo: LocalDynamo, workDir: string): Promise<IotInitCases> {
  await createIotTables(dynamo);
  const db = dynamo.dynamoDb();
  await registerDevice(db, DEVICE);
  const proxy = await startTransactingProxy(dynamo.endpoint);
  const sts = await startStsStub();
  const rejected = await startSqsStub();
  // @connections of the command stage: every connection is live (200), as after a fresh connect.
  const stage = await startLoopbackServer(() => ({ status: 200, body: '' }));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = await startJwksServer([{ ...publicKey.export({ format: 'jwk' }), kid: 'pool-key-1', alg: 'RS256', use: 'sig' }]);
  const caFile = path.join(workDir, 'iot-jwks-ca.pem');
  writeFileSync(caFile, jwks.ca);

  const ttl = { N: String(Math.floor(Date.now() / 1000) + 7_500) };
  /** A Connections item of string attributes, with the TTL every connection item has. */
  const put = (fields: Record<string, string>) => db.putItem({
    TableName: CONNECTIONS_TABLE,
    Item: { ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { S: value }])), ttl },
  });
  // The operator's connection (its item and its entry among the tenant's operators) and the device's presence.
  const connectedAt = new Date().toISOString();
  await put({ pk: `C#${OPERATOR_CONNECTION}`, sk: 'META', tenantId: TENANT, role: 'operator', sub: 'sub-operator-1', connectedAt });
  await put({ pk: `T#${TENANT}#OPS`, sk: OPERATOR_CONNECTION, sub: 'sub-operator-1' });
  await put({ pk: `T#${TENANT}#D#${DEVICE.deviceId}`, sk: 'CONN', connectionId: DEVICE_CONNECTION });

  // One ID token of the device app client, signed by the pool's key: valid for the whole run.
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const signed = `${b64({ alg: 'RS256', kid: 'pool-key-1', typ: 'JWT' })}.${b64({
    'sub': DEVICE.sub,
    'iss': ISSUER,
    'aud': DEVICE_CLIENT,
    'token_use': 'id',
    'custom:tenant_id': TENANT,
    'cognito:username': `${TENANT}.${DEVICE.deviceId}`,
    'iat': now - 60,
    'exp': now + 4 * 3600,
  })}`;
  const idToken = `${signed}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`;

  let n = 0;
  let postsBefore = 0;
  const routeEvent = (routeKey: string, connectionId: string, extra: { body?: string; authorizer?: Record<string, string> } = {}) => ({
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      connectionId,
      domainName: STAGE_DOMAIN,
      stage: 'prod',
      apiId: 'abc123',
      requestId: `req-${connectionId}`,
      connectedAt: Date.now(),
      requestTimeEpoch: Date.now(),
      ...(extra.authorizer ? { authorizer: { principalId: extra.authorizer.sub, ...extra.authorizer } } : {}),
    },
    ...(extra.body === undefined ? {} : { body: extra.body }),
    isBase64Encoded: false,
  });
  const status = (expected: number) => (result: unknown) => {
    const code = (result as { statusCode?: unknown } | undefined)?.statusCode;
    return code === expected ? undefined : `expected statusCode ${expected}, got ${JSON.stringify(result).slice(0, 200)}`;
  };
  const noBatchFailures = (result: unknown) => (JSON.stringify(result) === '{"batchItemFailures":[]}' ? undefined : `expected no batch item failures, got ${JSON.stringify(result).slice(0, 200)}`);
  const env = (variable: string, settings: object) => ({ [variable]: JSON.stringify(settings), AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });
  const alertSettings: AlertNotifierSettings = { connectionsTable: CONNECTIONS_TABLE, commandsCallbackUrl: CALLBACK_URL };
  const wsSettings: WsConnectionsSettings = { connectionsTable: CONNECTIONS_TABLE, connectionTtlSeconds: 7_500 };
  const wsEnv = env(WS_CONNECTIONS_SETTINGS_VARIABLE, wsSettings);
  const hot = thresholdEvent(TENANT, DEVICE.deviceId);

  const cases: Case[] = [
    {
      handler: 'examples/iot-platform/device-api',
      callsAws: true,
      env: {
        ...env(DEVICE_API_SETTINGS_VARIABLE, {
          registryTable: REGISTRY_TABLE,
          byTenantIndex: 'byTenant',
          readingsTable: READINGS_TABLE,
          tenantDataRoleArn: 'arn:aws:iam::123456789012:role/iot-tenant-data',
          userPoolId: 'eu-west-1_BenchPool',
          statusBreakerFunction: 'device-service-breaker',
          connectionsTable: CONNECTIONS_TABLE,
          commandsCallbackUrl: CALLBACK_URL,
        } satisfies DeviceApiSettings),
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: stage.url,
      },
      note: `GET /v1/devices/{deviceId} of a missing device (404) for tenant-a: STS AssumeRole with the tenant tag, GetItem with its session (${SDK_SWAP}; STS stays aws-lite)`,
      event: () => {
        const deviceId = `d-missing-${++n}`;
        return {
          resource: '/v1/devices/{deviceId}',
          path: `/v1/devices/${deviceId}`,
          httpMethod: 'GET',
          headers: { accept: 'application/json' },
          queryStringParameters: null,
          pathParameters: { deviceId },
          body: null,
          isBase64Encoded: false,
          requestContext: {
            requestId: `req-${n}`,
            resourcePath: '/v1/devices/{deviceId}',
            httpMethod: 'GET',
            authorizer: { principalId: 'sub-operator-1', tenantId: TENANT, sub: 'sub-operator-1', scopes: '', authType: 'jwt' },
          },
        };
      },
      check: (result) => status(404)(result) ?? (String((result as { body?: unknown }).body).includes('DEVICE_NOT_FOUND') ? undefined : `expected DEVICE_NOT_FOUND, got ${JSON.stringify(result).slice(0, 200)}`),
    },
    {
      handler: 'examples/iot-platform/telemetry-consumer',
      callsAws: true,
      env: env(TELEMETRY_CONSUMER_SETTINGS_VARIABLE, {
        readingsTable: READINGS_TABLE,
        registryTable: REGISTRY_TABLE,
        bySubIndex: BY_SUB_INDEX,
        rejectedQueueUrl: rejected.queueUrl,
        analyticsTopicArn: TOPIC_ARN,
        temperatureThreshold: 80,
      } satisfies TelemetryConsumerSettings),
      note: `one Kinesis record with one reading below the threshold: Query of the registry's bySub index, the reading written (${SDK_SWAP} and SNS)`,
      event: () => ({ Records: [kinesisRecord(++n, DEVICE.sub, { readings: [{ ts: new Date().toISOString(), metric: 'temperature', value: 21.5 }] })] }),
      // A refused record is no batch item failure: it goes to the rejected queue, which must stay empty.
      check: (result) => noBatchFailures(result) ?? (rejected.messages.length === 0 ? undefined : `record rejected: ${rejected.messages[0].body.slice(0, 200)}`),
    },
    {
      handler: 'examples/iot-platform/alert-notifier',
      callsAws: true,
      env: {
        ...env(ALERT_NOTIFIER_SETTINGS_VARIABLE, alertSettings),
        AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: stage.url,
      },
      note: `one SQS message (SNS envelope) of a threshold.exceeded event: Query of T#tenant-a#OPS, one @connections post (${SDK_SWAP})`,
      event: () => {
        postsBefore = stage.requests.length;
        return { Records: [fanoutRecord(`m-${++n}`, hot.message, hot.attributes)] };
      },
      // A tenant without operators is no failure either: the alert must have been posted.
      check: (result) => noBatchFailures(result) ?? (stage.requests.length > postsBefore ? undefined : 'no alert posted to @connections'),
    },
    {
      handler: 'examples/iot-platform/analytics-aggregator',
      callsAws: true,
      env: env(ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, { readingsTable: READINGS_TABLE } satisfies AnalyticsAggregatorSettings),
      note: 'one SQS message (SNS envelope) of a threshold.exceeded event: UpdateItem ADD of the hour\'s counter',
      event: () => ({ Records: [fanoutRecord(`m-${++n}`, hot.message, hot.attributes)] }),
      check: noBatchFailures,
    },
    {
      handler: 'examples/iot-platform/ws-authorizer',
      callsAws: true,
      env: {
        ...env(WS_AUTHORIZER_SETTINGS_VARIABLE, {
          issuer: ISSUER,
          jwksUri: jwks.jwksUri,
          deviceClientId: DEVICE_CLIENT,
          operatorClientId: 'bench-operator-client',
          registryTable: REGISTRY_TABLE,
          bySubIndex: BY_SUB_INDEX,
        } satisfies WsAuthorizerSettings),
        NODE_EXTRA_CA_CERTS: caFile,
      },
      note: '$connect with a device ID token: JWKS fetched over TLS from loopback, RS256 verified, Query of the registry\'s bySub index (Allow)',
      event: () => ({
        type: 'REQUEST',
        methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect',
        headers: { 'Authorization': `Bearer ${idToken}`, 'Sec-WebSocket-Version': '13' },
        multiValueHeaders: null,
        queryStringParameters: null,
        stageVariables: null,
        requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId: `conn-auth-${++n}`, domainName: STAGE_DOMAIN, stage: 'prod', apiId: 'abc123' },
      }),
      check: (result) => {
        const r = result as { policyDocument?: { Statement?: Array<{ Effect?: string }> }; context?: { deviceId?: string } } | undefined;
        return r?.policyDocument?.Statement?.[0]?.Effect === 'Allow' && r.context?.deviceId === DEVICE.deviceId ? undefined : `expected Allow for ${DEVICE.deviceId}, got ${JSON.stringify(result).slice(0, 200)}`;
      },
    },
    {
      handler: 'examples/iot-platform/ws-connect',
      callsAws: true,
      env: wsEnv,
      note: '$connect of a device: TransactWriteItems of its connection and presence items',
      // Another device than the one commands go to, so its presence keeps naming DEVICE_CONNECTION.
      event: () => routeEvent('$connect', `conn-c-${++n}`, { authorizer: { tenantId: TENANT, role: 'device', sub: 'sub-connect-1', deviceId: 'sensor-connect' } }),
      check: status(200),
    },
    {
      handler: 'examples/iot-platform/ws-disconnect',
      callsAws: true,
      env: wsEnv,
      note: '$disconnect of a device connection: GetItem of C#<id>, conditional DeleteItem of the presence, DeleteItem of C#<id>',
      async event() {
        const connectionId = `conn-d-${++n}`;
        const deviceId = `sensor-d-${n}`;
        await put({ pk: `C#${connectionId}`, sk: 'META', tenantId: TENANT, role: 'device', sub: `sub-d-${n}`, deviceId, connectedAt });
        await put({ pk: `T#${TENANT}#D#${deviceId}`, sk: 'CONN', connectionId });
        return routeEvent('$disconnect', connectionId);
      },
      check: status(200),
    },
    {
      handler: 'examples/iot-platform/ws-send-command',
      callsAws: true,
      env: { ...wsEnv, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: stage.url },
      note: `sendCommand from an operator: GetItem of its connection, GetItem of the device's presence, one @connections post (202) (${SDK_SWAP})`,
      event: () => routeEvent('sendCommand', OPERATOR_CONNECTION, {
        body: JSON.stringify({ action: 'sendCommand', deviceId: DEVICE.deviceId, command: { name: 'reboot' } }),
      }),
      check: status(202),
    },
  ];
  return {
    cases,
    async stop() {
      await Promise.all([proxy.stop(), sts.stop(), rejected.stop(), stage.stop(), jwks.stop()]);
    },
  };
}
