import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { DEVICE_ID_PATTERN } from '../shared/keys';

/** The device a token subject belongs to, or why it may not connect. */
export type DeviceLookup =
  | { readonly ok: true; readonly deviceId: string }
  | { readonly ok: false; readonly reason: 'unknown_device' | 'device_decommissioned' | 'tenant_mismatch' | 'ambiguous_device' };

/**
 * The registry's device for a Cognito subject, through the `bySub` index. It must be
 * active and registered under the same tenant the token names: the token's tenant claim
 * and the registry must agree, or the subject connects as nobody. More than one active
 * entry for one subject is a registry fault and is refused rather than guessed.
 * A DynamoDB failure is thrown: no decision is made without the registry.
 */
export async function deviceOfSubject(db: DynamoDb, table: string, index: string, sub: string, tenantId: string): Promise<DeviceLookup> {
  const { Items = [] } = await db.query({
    TableName: table,
    IndexName: index,
    KeyConditionExpression: '#sub = :sub',
    ExpressionAttributeNames: { '#sub': 'sub' },
    ExpressionAttributeValues: { ':sub': { S: sub } },
    Limit: 10,
  });
  if (Items.length === 0) return { ok: false, reason: 'unknown_device' };
  const inTenant = Items.filter((item) => item.tenantId?.S === tenantId);
  if (inTenant.length === 0) return { ok: false, reason: 'tenant_mismatch' };
  const active = inTenant.filter((item) => item.status?.S === 'active' && DEVICE_ID_PATTERN.test(item.deviceId?.S ?? ''));
  if (active.length === 0) return { ok: false, reason: 'device_decommissioned' };
  if (active.length > 1) return { ok: false, reason: 'ambiguous_device' };
  return { ok: true, deviceId: active[0].deviceId!.S! };
}
