import type { Queryable, QueryOptions } from './database';
import { AwsServiceError } from '../shared/aws/errors';
import { HandlerError } from '../shared/errors';

/** The credentials an application user's secret holds (rds.DatabaseSecret's JSON shape). */
export interface UserCredentials {
  readonly username: string;
  readonly password: string;
}

/** Reads a database user's secret by name; never logs or returns it anywhere else. */
export type SecretReader = (secretName: string) => Promise<UserCredentials>;

/** What the application user may do in its database: data, never schema or users. */
export const APPLICATION_USER_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE';

const USER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * Creates (or brings up to date) an application user from its secret: `CREATE USER IF NOT
 * EXISTS`, the password of the secret (also when the user existed, so a changed secret is
 * applied), and data privileges on `database` only. Run it as an administrator (the master
 * user); RDS Proxy then logs in as the user with the same secret, registered in
 * `proxy.userSecrets`. The password travels only as a statement parameter.
 */
export async function ensureApplicationUser(
  admin: Queryable, expected: string, credentials: UserCredentials, database: string, options: QueryOptions,
): Promise<void> {
  if (credentials.username !== expected) {
    throw new HandlerError('INVALID_REQUEST', `the secret is for user ${JSON.stringify(credentials.username)}, not ${JSON.stringify(expected)}`);
  }
  if (typeof credentials.password !== 'string' || credentials.password.length < 8) {
    throw new HandlerError('INVALID_REQUEST', `the secret of ${JSON.stringify(expected)} holds no password of at least 8 characters`);
  }
  if (!DATABASE_NAME.test(database)) throw new HandlerError('INVALID_REQUEST', `the database name must be letters, digits, _ or $, got ${JSON.stringify(database)}`);
  await admin.query('CREATE USER IF NOT EXISTS ? IDENTIFIED BY ?', [expected, credentials.password], options);
  await admin.query('ALTER USER ? IDENTIFIED BY ?', [expected, credentials.password], options);
  await admin.query(`GRANT ${APPLICATION_USER_PRIVILEGES} ON \`${database}\`.* TO ?`, [expected], options);
}

/**
 * A {@link SecretReader} over Parameter Store's `/aws/reference/secretsmanager/<name>`
 * path (`getParameter` returns the decrypted value); errors name the secret, never its value.
 */
export function secretReferenceReader(getParameter: (name: string) => Promise<string | undefined>): SecretReader {
  return async (secretName) => {
    let value: string | undefined;
    try {
      value = await getParameter(`/aws/reference/secretsmanager/${secretName}`);
    } catch (err) {
      // A refusal (access denied, no such secret) stays a refusal when retried.
      const retryable = !(err instanceof AwsServiceError && err.kind === 'refused');
      throw new HandlerError('SECRET_UNAVAILABLE', `the secret ${JSON.stringify(secretName)} could not be read: ${(err as Error).name}`, retryable, { cause: err });
    }
    let parsed: Partial<UserCredentials> = {};
    try {
      parsed = JSON.parse(value ?? '') as Partial<UserCredentials>;
    } catch {
      // reported below without the value
    }
    if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
      throw new HandlerError('INVALID_REQUEST', `the secret ${JSON.stringify(secretName)} is not a database secret (JSON with "username" and "password")`);
    }
    return { username: parsed.username, password: parsed.password };
  };
}

/** Checks a user name before it reaches SQL or IAM: a MySQL user name RDS Proxy accepts. */
export function isApplicationUserName(name: unknown): name is string {
  return typeof name === 'string' && USER_NAME.test(name);
}
