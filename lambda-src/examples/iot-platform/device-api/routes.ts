// The routes of the device API, by method and API Gateway resource path. DELETE exists in
// v2 only; anything else is an unknown route (404).

export type RouteName =
  | 'v1.register' | 'v1.get' | 'v1.readings' | 'v1.status'
  | 'v2.register' | 'v2.list' | 'v2.get' | 'v2.readings' | 'v2.decommission';

const ROUTES: Readonly<Record<string, RouteName>> = {
  'POST /v1/devices': 'v1.register',
  'GET /v1/devices/{deviceId}': 'v1.get',
  'GET /v1/devices/{deviceId}/readings': 'v1.readings',
  'GET /v1/devices/{deviceId}/status': 'v1.status',
  'POST /v2/devices': 'v2.register',
  'GET /v2/devices': 'v2.list',
  'GET /v2/devices/{deviceId}': 'v2.get',
  'GET /v2/devices/{deviceId}/readings': 'v2.readings',
  'DELETE /v2/devices/{deviceId}': 'v2.decommission',
};

/** The route of a method and resource path, or undefined. */
export function routeOf(method: unknown, resource: unknown): RouteName | undefined {
  if (typeof method !== 'string' || typeof resource !== 'string') return undefined;
  return Object.hasOwn(ROUTES, `${method} ${resource}`) ? ROUTES[`${method} ${resource}`] : undefined;
}
