import type { DynamoDb, DynamoItem } from '../../../shared/aws/dynamodb';
import { DEVICE_ID_PATTERN, TENANT_ID_PATTERN } from '../shared/keys';

/** What the registry says about the device a token subject belongs to. */
export interface DeviceIdentity {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly status: 'active' | 'decommissioned';
}

export interface DeviceRegistrySettings {
  readonly client: DynamoDb;
  readonly tableName: string;
  /** The `bySub` index (partition key `sub`). */
  readonly indexName: string;
  readonly now: () => number;
  /** How long a found device is trusted (15 minutes). */
  readonly ttlMs?: number;
  /** How long "no such subject" is trusted (1 minute): a device registered a moment ago starts sending soon. */
  readonly negativeTtlMs?: number;
}

/** Looks subjects up; errors of the lookup (DynamoDB down) are thrown and never cached. */
export type DeviceLookup = (sub: string) => Promise<DeviceIdentity | undefined>;

const DEFAULT_TTL_MS = 15 * 60 * 1000;
const DEFAULT_NEGATIVE_TTL_MS = 60 * 1000;
/** Bounds the cache of one execution environment; a batch names at most 500 subjects. */
const MAX_ENTRIES = 10_000;

/**
 * Token subject → device, through the registry's `bySub` index, cached in memory: a device
 * sends many records, and one Query per record would cost more than the write. Concurrent
 * lookups of one subject share one Query. A decommissioned device is cached as such, so
 * decommissioning takes effect within the cache's 15 minutes (the device's Cognito user is
 * disabled at the same time, which stops new tokens sooner).
 */
export function deviceRegistry(settings: DeviceRegistrySettings): DeviceLookup {
  const ttlMs = settings.ttlMs ?? DEFAULT_TTL_MS;
  const negativeTtlMs = settings.negativeTtlMs ?? DEFAULT_NEGATIVE_TTL_MS;
  const cache = new Map<string, { device: DeviceIdentity | undefined; expiresAt: number }>();
  const pending = new Map<string, Promise<DeviceIdentity | undefined>>();

  const query = async (sub: string): Promise<DeviceIdentity | undefined> => {
    const { Items = [] } = await settings.client.query({
      TableName: settings.tableName,
      IndexName: settings.indexName,
      KeyConditionExpression: '#sub = :sub',
      ExpressionAttributeNames: { '#sub': 'sub' },
      ExpressionAttributeValues: { ':sub': { S: sub } },
      // One user per device: more than a couple of items for one subject is a registry fault.
      Limit: 10,
    });
    const devices = Items.map(identityOf).filter((d): d is DeviceIdentity => d !== undefined);
    return devices.find((d) => d.status === 'active') ?? devices[0];
  };

  return async (sub) => {
    const now = settings.now();
    const cached = cache.get(sub);
    if (cached && cached.expiresAt > now) return cached.device;
    let lookup = pending.get(sub);
    if (!lookup) {
      lookup = query(sub).finally(() => pending.delete(sub));
      pending.set(sub, lookup);
    }
    const device = await lookup;
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(sub, { device, expiresAt: settings.now() + (device ? ttlMs : negativeTtlMs) });
    return device;
  };
}

/** A registry item as an identity; an item without valid ids cannot key a reading and counts as absent. */
function identityOf(item: DynamoItem): DeviceIdentity | undefined {
  const tenantId = item.tenantId?.S;
  const deviceId = item.deviceId?.S;
  if (!tenantId || !TENANT_ID_PATTERN.test(tenantId) || !deviceId || !DEVICE_ID_PATTERN.test(deviceId)) return undefined;
  return { tenantId, deviceId, status: item.status?.S === 'active' ? 'active' : 'decommissioned' };
}
