import type { NewDevice } from './registration-input';
import type { DynamoDb, DynamoItem } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import { deviceKey, REGISTRY_SORT_KEY, tenantId as checkTenantId } from '../shared/keys';

// The DeviceRegistry table, through the caller's tenant-scoped session: every key is built
// from the caller's tenant (deviceKey), and the byTenant index is queried with that tenant
// only, which is all the tenant data role's LeadingKeys condition admits.

export type DeviceStatus = 'active' | 'decommissioned';

/** A registry item (pk `T#<tenant>#D#<device>`, sk `META`). */
export interface DeviceRecord {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly sub: string;
  readonly username: string;
  readonly status: DeviceStatus;
  readonly createdAt: string;
  readonly name?: string;
  readonly model?: string;
  readonly firmwareVersion?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A page of a tenant's devices, and the device id to continue after. */
export interface DevicePage {
  readonly devices: DeviceRecord[];
  readonly lastDeviceId?: string;
}

export class Registry {
  constructor(private readonly dynamo: DynamoDb, private readonly table: string, private readonly byTenantIndex: string) {}

  /** The device of `tenant`, or undefined: a device of another tenant is simply absent here. */
  public async get(tenant: string, deviceId: string): Promise<DeviceRecord | undefined> {
    const { Item } = await this.dynamo.getItem({ TableName: this.table, Key: registryKey(tenant, deviceId), ConsistentRead: true });
    return Item ? fromItem(Item) : undefined;
  }

  /** Store a new device; ConditionalCheckFailedException when the device id is taken in the tenant. */
  public async create(record: DeviceRecord): Promise<void> {
    await this.dynamo.putItem({ TableName: this.table, Item: toItem(record), ConditionExpression: 'attribute_not_exists(pk)' });
  }

  /** Mark the device decommissioned; undefined when the tenant has no such device. */
  public async decommission(tenant: string, deviceId: string): Promise<DeviceRecord | undefined> {
    try {
      const { Attributes } = await this.dynamo.updateItem({
        TableName: this.table,
        Key: registryKey(tenant, deviceId),
        UpdateExpression: 'SET #status = :decommissioned',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':decommissioned': { S: 'decommissioned' } },
        ReturnValues: 'ALL_NEW',
      });
      return Attributes ? fromItem(Attributes) : undefined;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return undefined;
      throw error;
    }
  }

  /** Up to `limit` devices of `tenant` in device id order, after `afterDeviceId`. */
  public async list(tenant: string, limit: number, afterDeviceId?: string): Promise<DevicePage> {
    // The cursor is rebuilt from the caller's tenant: a cursor cannot point into another tenant.
    const start = afterDeviceId === undefined
      ? undefined
      : { ...registryKey(tenant, afterDeviceId), tenantId: { S: tenant }, deviceId: { S: afterDeviceId } };
    const page = await this.dynamo.query({
      TableName: this.table,
      IndexName: this.byTenantIndex,
      KeyConditionExpression: 'tenantId = :tenant',
      ExpressionAttributeValues: { ':tenant': { S: checkTenantId(tenant) } },
      ExclusiveStartKey: start,
      Limit: limit,
    });
    const devices = (page.Items ?? []).map(fromItem);
    return { devices, lastDeviceId: page.LastEvaluatedKey?.deviceId?.S };
  }
}

/** The registry item a registration stores. */
export function newRecord(tenant: string, device: NewDevice, sub: string, username: string, createdAt: string): DeviceRecord {
  return {
    tenantId: tenant,
    deviceId: device.deviceId,
    sub,
    username,
    status: 'active',
    createdAt,
    name: device.name,
    model: device.model,
    firmwareVersion: device.firmwareVersion,
    labels: device.labels,
  };
}

function registryKey(tenant: string, deviceId: string): DynamoItem {
  return { pk: { S: deviceKey(tenant, deviceId) }, sk: { S: REGISTRY_SORT_KEY } };
}

function toItem(record: DeviceRecord): DynamoItem {
  const item: Record<string, DynamoItem[string]> = {
    ...registryKey(record.tenantId, record.deviceId),
    tenantId: { S: record.tenantId },
    deviceId: { S: record.deviceId },
    sub: { S: record.sub },
    username: { S: record.username },
    status: { S: record.status },
    createdAt: { S: record.createdAt },
  };
  if (record.name !== undefined) item.name = { S: record.name };
  if (record.model !== undefined) item.model = { S: record.model };
  if (record.firmwareVersion !== undefined) item.firmwareVersion = { S: record.firmwareVersion };
  if (record.labels !== undefined) item.labels = { M: Object.fromEntries(Object.entries(record.labels).map(([k, v]) => [k, { S: v }])) };
  return item;
}

function fromItem(item: DynamoItem): DeviceRecord {
  const s = (name: string) => item[name]?.S;
  const labels = item.labels?.M;
  return {
    tenantId: s('tenantId') ?? '',
    deviceId: s('deviceId') ?? '',
    sub: s('sub') ?? '',
    username: s('username') ?? '',
    status: s('status') === 'decommissioned' ? 'decommissioned' : 'active',
    createdAt: s('createdAt') ?? '',
    ...(s('name') === undefined ? {} : { name: s('name') }),
    ...(s('model') === undefined ? {} : { model: s('model') }),
    ...(s('firmwareVersion') === undefined ? {} : { firmwareVersion: s('firmwareVersion') }),
    ...(labels === undefined ? {} : { labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v.S ?? ''])) }),
  };
}
