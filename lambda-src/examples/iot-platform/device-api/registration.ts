import { ApiError, invalidField } from './answers';
import { generatePassword } from './password';
import type { NewDevice } from './registration-input';
import { DeviceRecord, newRecord, Registry } from './registry';
import type { DeviceCredentials } from './shapes';
import type { CognitoIdentityProvider } from '../../../shared/aws/cognito-idp';
import { isAwsError } from '../../../shared/aws/errors';

// Registering a device: its Cognito user first (username `<tenant>.<device>`, tenant in
// the immutable custom:tenant_id, a generated permanent password), then the registry item,
// conditional on the device id being free in the tenant. When the item cannot be written,
// the user just created is deleted again, so no identity is left without a device.

/** Cognito's limit on user names. */
const USERNAME_MAX = 128;

export interface RegistrationDependencies {
  readonly cognito: CognitoIdentityProvider;
  readonly userPoolId: string;
  readonly registry: Registry;
  readonly now: () => Date;
  readonly password?: () => string;
  /** Told about a compensation that failed (the user is then left behind). */
  readonly warn: (message: string, attributes: Record<string, unknown>) => void;
}

export interface Registered {
  readonly record: DeviceRecord;
  /** Returned to the caller once; never stored or logged. */
  readonly credentials: DeviceCredentials;
}

export async function registerDevice(deps: RegistrationDependencies, tenant: string, device: NewDevice): Promise<Registered> {
  const username = `${tenant}.${device.deviceId}`;
  if (username.length > USERNAME_MAX) {
    throw invalidField('deviceId', device.deviceId, `short enough that "<tenantId>.<deviceId>" is at most ${USERNAME_MAX} characters (the device's user name)`);
  }
  const pool = { UserPoolId: deps.userPoolId, Username: username };
  let sub: string | undefined;
  try {
    const created = await deps.cognito.adminCreateUser({ ...pool, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:tenant_id', Value: tenant }] });
    sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  } catch (error) {
    // The user belongs to a device registered before: it is not ours to delete.
    if (isAwsError(error, 'UsernameExistsException')) throw exists(device.deviceId);
    throw error;
  }
  const password = (deps.password ?? generatePassword)();
  try {
    if (!sub) throw new Error('cognito-idp.AdminCreateUser answered without the user\'s sub attribute');
    await deps.cognito.adminSetUserPassword({ ...pool, Password: password, Permanent: true });
    const record = newRecord(tenant, device, sub, username, deps.now().toISOString());
    await deps.registry.create(record);
    return { record, credentials: { username, password } };
  } catch (error) {
    await deleteUser(deps, username);
    if (isAwsError(error, 'ConditionalCheckFailedException')) throw exists(device.deviceId);
    throw error;
  }
}

/** The compensation: best effort, a failure is reported (the user stays, without a registry item it cannot send telemetry). */
async function deleteUser(deps: RegistrationDependencies, username: string): Promise<void> {
  try {
    await deps.cognito.adminDeleteUser({ UserPoolId: deps.userPoolId, Username: username });
  } catch (error) {
    deps.warn('could not delete the user of a failed registration', { username, error: { name: (error as Error).name, message: (error as Error).message } });
  }
}

function exists(deviceId: string): ApiError {
  return new ApiError(409, 'DEVICE_EXISTS', `device ${deviceId} is already registered in your tenant`, 'deviceId');
}
