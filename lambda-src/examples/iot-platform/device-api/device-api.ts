import { ApiAnswer, ApiError, deviceNotFound, invalidField } from './answers';
import { decommissionDevice } from './decommission';
import { decodeCursor, encodeCursor, parseLimit, parseSince, readDevicePage, readingsCursor } from './readings';
import { registerDevice } from './registration';
import { parseV1Registration, parseV2Registration } from './registration-input';
import { Registry } from './registry';
import { callerTenant, headerValue, jsonBody, pathDeviceId, queryParameter, RestProxyEvent } from './request';
import { RouteName, routeOf } from './routes';
import { readingShape, v1Device, v1Registered, v2DeviceAnswer, v2Registered } from './shapes';
import { deviceStatus } from './status';
import type { TenantSessions } from './tenant-session';
import type { DeviceApiSettings } from '../../../../examples/iot-platform/device-api-settings';
import type { CognitoIdentityProvider } from '../../../shared/aws/cognito-idp';
import type { Lambda } from '../../../shared/aws/lambda';
import type { WebSocketConnections } from '../../../shared/aws/websocket-connections';
import { DEVICE_ID_PATTERN } from '../shared/keys';

// One request of the device API: route, tenant (from the authorizer only), then the route's
// work with the caller's tenant-scoped DynamoDB session.

export interface DeviceApiDependencies {
  readonly settings: DeviceApiSettings;
  readonly sessions: TenantSessions;
  readonly cognito: CognitoIdentityProvider;
  readonly lambda: Lambda;
  readonly connections: WebSocketConnections;
  readonly now: () => Date;
  readonly log: (level: 'info' | 'warn', message: string, attributes: Record<string, unknown>) => void;
}

const V1_READINGS_MAX = 100;
const V2_READINGS_PAGE = 100;
const V2_DEVICES_PAGE = 50;

/** The answer to one event; refusals (ApiError) are answers too. Other errors propagate. */
export async function handleDeviceApi(deps: DeviceApiDependencies, event: RestProxyEvent): Promise<ApiAnswer> {
  const route = routeOf(event?.httpMethod, event?.resource);
  if (!route) throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${shownRoute(event)}`);
  return serve(deps, route, callerTenant(event), event);
}

async function serve(deps: DeviceApiDependencies, route: RouteName, tenant: string, event: RestProxyEvent): Promise<ApiAnswer> {
  const { settings } = deps;
  // Inputs are checked before any AWS call, so a malformed request costs no session.
  switch (route) {
    case 'v1.register':
    case 'v2.register': {
      const device = route === 'v1.register' ? parseV1Registration(jsonBody(event)) : parseV2Registration(jsonBody(event));
      const registry = await registryOf(deps, tenant);
      const { record, credentials } = await registerDevice({
        cognito: deps.cognito,
        userPoolId: settings.userPoolId,
        registry,
        now: deps.now,
        warn: (message, attributes) => deps.log('warn', message, attributes),
      }, tenant, device);
      return { statusCode: 201, body: route === 'v1.register' ? v1Registered(record, credentials) : v2Registered(record, credentials) };
    }
    case 'v1.get':
    case 'v2.get': {
      const deviceId = pathDeviceId(event);
      const record = await (await registryOf(deps, tenant)).get(tenant, deviceId);
      if (!record) throw deviceNotFound(deviceId);
      return { statusCode: 200, body: route === 'v1.get' ? v1Device(record) : v2DeviceAnswer(record) };
    }
    case 'v1.readings': {
      const deviceId = pathDeviceId(event);
      const sinceMs = parseSince(queryParameter(event, 'since'));
      const limit = parseLimit(queryParameter(event, 'limit'), V1_READINGS_MAX);
      const dynamo = await ownDevice(deps, tenant, deviceId);
      const page = await readDevicePage(dynamo, settings.readingsTable, tenant, deviceId, { sinceMs, limit });
      return { statusCode: 200, body: { readings: page.readings.map(readingShape) } };
    }
    case 'v2.readings': {
      const deviceId = pathDeviceId(event);
      const sinceMs = parseSince(queryParameter(event, 'since'));
      const afterSortKey = readingsCursor(queryParameter(event, 'next'));
      const dynamo = await ownDevice(deps, tenant, deviceId);
      const page = await readDevicePage(dynamo, settings.readingsTable, tenant, deviceId, { sinceMs, limit: V2_READINGS_PAGE, afterSortKey });
      const next = page.lastSortKey === undefined ? null : encodeCursor(page.lastSortKey);
      return { statusCode: 200, body: { items: page.readings.map(readingShape), next } };
    }
    case 'v2.list': {
      const next = queryParameter(event, 'next');
      const after = next === undefined ? undefined : decodeCursor(next);
      if (next !== undefined && (after === undefined || !DEVICE_ID_PATTERN.test(after))) throw invalidField('next', next, 'a cursor from a previous page of this list');
      const page = await (await registryOf(deps, tenant)).list(tenant, V2_DEVICES_PAGE, after);
      return {
        statusCode: 200,
        body: { items: page.devices.map(v2DeviceAnswer), next: page.lastDeviceId === undefined ? null : encodeCursor(page.lastDeviceId) },
      };
    }
    case 'v1.status': {
      const deviceId = pathDeviceId(event);
      await ownDevice(deps, tenant, deviceId);
      return deviceStatus(deps.lambda, settings.statusBreakerFunction, {
        deviceId,
        requestId: typeof event.requestContext?.requestId === 'string' ? event.requestContext.requestId : '',
        headers: { 'x-canary': headerValue(event, 'x-canary'), 'x-ab-variant': headerValue(event, 'x-ab-variant') },
      });
    }
    case 'v2.decommission': {
      const deviceId = pathDeviceId(event);
      const dynamo = await deps.sessions.dynamoFor(tenant);
      await decommissionDevice({
        registry: new Registry(dynamo, settings.registryTable, settings.byTenantIndex),
        dynamo,
        connectionsTable: settings.connectionsTable,
        cognito: deps.cognito,
        userPoolId: settings.userPoolId,
        connections: deps.connections,
        info: (message, attributes) => deps.log('info', message, attributes),
      }, tenant, deviceId);
      return { statusCode: 204 };
    }
  }
}

async function registryOf(deps: DeviceApiDependencies, tenant: string): Promise<Registry> {
  return new Registry(await deps.sessions.dynamoFor(tenant), deps.settings.registryTable, deps.settings.byTenantIndex);
}

/** The tenant's session, once the device is known to be the tenant's (404 otherwise). */
async function ownDevice(deps: DeviceApiDependencies, tenant: string, deviceId: string) {
  const dynamo = await deps.sessions.dynamoFor(tenant);
  const record = await new Registry(dynamo, deps.settings.registryTable, deps.settings.byTenantIndex).get(tenant, deviceId);
  if (!record) throw deviceNotFound(deviceId);
  return dynamo;
}

function shownRoute(event: RestProxyEvent): string {
  const text = `${String(event?.httpMethod)} ${String(event?.resource)}`;
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
