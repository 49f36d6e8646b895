// The IoT platform's key layout, in one place: every table key that names a tenant starts
// with `T#<tenantId>#`, which is what the tenant data role's `dynamodb:LeadingKeys`
// condition admits. Ids are checked before they reach a key, so `#` and `*` (the key
// separator and the IAM wildcard) can never appear inside one, and tenant `a`'s prefix
// `T#a#` can never match tenant `ab`'s items.

/** Tenant ids: letters, digits, `.`, `_`, `-`, up to 64 characters. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Device ids: letters, digits, `_`, `-`, up to 64 characters. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export class InvalidIdError extends Error {
  constructor(public readonly field: string, value: unknown, pattern: RegExp) {
    super(`${field} must match ${pattern.source}, got ${JSON.stringify(typeof value === 'string' ? value.slice(0, 80) : value)}`);
    this.name = 'InvalidIdError';
  }
}

/** `value` as a tenant id, or an InvalidIdError naming `field`. */
export function tenantId(value: unknown, field = 'tenantId'): string {
  if (typeof value !== 'string' || !TENANT_ID_PATTERN.test(value)) throw new InvalidIdError(field, value, TENANT_ID_PATTERN);
  return value;
}

/** `value` as a device id, or an InvalidIdError naming `field`. */
export function deviceId(value: unknown, field = 'deviceId'): string {
  if (typeof value !== 'string' || !DEVICE_ID_PATTERN.test(value)) throw new InvalidIdError(field, value, DEVICE_ID_PATTERN);
  return value;
}

/** `T#<tenant>#D#<device>`: a device's partition in the registry, readings and presence items. */
export function deviceKey(tenant: string, device: string): string {
  return `T#${tenantId(tenant)}#D#${deviceId(device)}`;
}

/** `T#<tenant>#OPS`: the partition of a tenant's operator connections. */
export function operatorsKey(tenant: string): string {
  return `T#${tenantId(tenant)}#OPS`;
}

/** `C#<connectionId>`: a WebSocket connection's own item. */
export function connectionKey(connectionId: string): string {
  if (!/^[A-Za-z0-9=_+/-]{1,128}$/.test(connectionId)) throw new InvalidIdError('connectionId', connectionId, /^[A-Za-z0-9=_+/-]{1,128}$/);
  return `C#${connectionId}`;
}

/** Sort keys of the Readings table: `R#<epoch ms, 13 digits>#<n>` for readings, `AGG#<yyyy-mm-ddThh>` for hourly aggregates. */
export function readingSortKey(epochMillis: number, n: number): string {
  return `R#${String(Math.trunc(epochMillis)).padStart(13, '0')}#${String(n).padStart(3, '0')}`;
}

export function aggregateSortKey(epochMillis: number): string {
  return `AGG#${new Date(epochMillis).toISOString().slice(0, 13)}`;
}

/** The registry's sort key for a device's own item. */
export const REGISTRY_SORT_KEY = 'META';
/** The Connections table's sort keys. */
export const CONNECTION_META = 'META';
export const PRESENCE_SORT_KEY = 'CONN';
