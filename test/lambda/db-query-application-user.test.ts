import { randomBytes } from 'node:crypto';
import { secretReferenceReader, type UserCredentials } from '../../lambda-src/db-query/application-user';
import { passwordProvider } from '../../lambda-src/db-query/credentials';
import { Database, type DbLogger } from '../../lambda-src/db-query/database';
import { createNotesHandler } from '../../lambda-src/db-query/notes';
import { AwsServiceError } from '../../lambda-src/shared/aws/errors';
import { createTestDatabase, MARIADB_HOST, MARIADB_PORT, mariaDbCa, type TestDatabase } from '../helpers/mariadb';

// The example handler's setup as an administrator: it creates the application user the
// functions connect as (instead of the master user), from the user's secret, against a
// real MariaDB with TLS. Through RDS Proxy the same user logs in with the same secret.
let testDb: TestDatabase;
let admin: { user: string; password: string };
const opened: Database[] = [];
const appUsers: string[] = [];

function connect(user: string, password: string, logs: string[] = []): Database {
  const log = (message: string, attributes?: Record<string, unknown>) => logs.push(`${message} ${JSON.stringify(attributes ?? {})}`);
  const logger: DbLogger = { debug: log, info: log, warn: log, error: log };
  const db = new Database({
    host: MARIADB_HOST,
    port: MARIADB_PORT,
    user,
    database: testDb.database,
    credentials: passwordProvider(password),
    tls: { ca: mariaDbCa() },
    logger,
  });
  opened.push(db);
  return db;
}

function newAppUser(): UserCredentials {
  const username = `app_${randomBytes(3).toString('hex')}`;
  appUsers.push(username);
  return { username, password: randomBytes(16).toString('hex') };
}

/** The handler as the administrator, with a secret store holding `secrets` by name. */
function adminHandler(secrets: Record<string, UserCredentials>, logs: string[] = []) {
  return createNotesHandler({
    db: connect(admin.user, admin.password, logs),
    database: testDb.database,
    readSecret: async (name) => {
      if (!secrets[name]) throw new Error(`no secret ${name}`);
      return secrets[name];
    },
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase('appuser');
  // An administrator like RDS's master user: may create users and grant on the database.
  admin = { user: `adm_${randomBytes(3).toString('hex')}`, password: randomBytes(12).toString('hex') };
  await testDb.root.query(`CREATE USER '${admin.user}'@'%' IDENTIFIED BY '${admin.password}'`);
  await testDb.root.query(`GRANT CREATE USER ON *.* TO '${admin.user}'@'%'`);
  await testDb.root.query(`GRANT ALL PRIVILEGES ON \`${testDb.database}\`.* TO '${admin.user}'@'%' WITH GRANT OPTION`);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

afterAll(async () => {
  for (const user of [...appUsers, admin?.user]) if (user) await testDb.root.query(`DROP USER IF EXISTS '${user}'@'%'`);
  await testDb?.drop();
});

describe('db-query example handler: setup creates the application user', () => {
  test('the application user works with the notes but may change neither the schema nor the users', async () => {
    const app = newAppUser();
    const result = await adminHandler({ 'orders/app': app })({ action: 'setup', applicationUser: { name: app.username, secretName: 'orders/app' } });
    expect(result).toEqual({ ok: true, applicationUser: app.username });

    const asApp = createNotesHandler({ db: connect(app.username, app.password) });
    const put = await asApp({ action: 'put', body: 'written by the application user' }) as { note: { id: number } };
    expect(await asApp({ action: 'get', id: put.note.id })).toEqual({ note: { id: put.note.id, body: 'written by the application user' } });

    const db = connect(app.username, app.password);
    await expect(db.write('DROP TABLE notes')).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
    await expect(db.write('CREATE TABLE other (id INT)')).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
    await expect(db.write('CREATE USER intruder IDENTIFIED BY ?', ['intruder-password'])).rejects.toMatchObject({ code: 'ER_SPECIFIC_ACCESS_DENIED_ERROR' });
  });

  test('running setup again after the secret changed gives the user the new password', async () => {
    const app = newAppUser();
    const request = { action: 'setup', applicationUser: { name: app.username, secretName: 'app' } };
    await adminHandler({ app })(request);
    const rotated = { ...app, password: randomBytes(16).toString('hex') };
    await adminHandler({ app: rotated })(request);

    await expect(connect(app.username, app.password).read('SELECT 1 AS one')).rejects.toMatchObject({ code: 'DB_AUTH_FAILED' });
    expect((await connect(app.username, rotated.password).read('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  test('the password reaches no log line, not even when the secret names another user', async () => {
    const app = newAppUser();
    const logs: string[] = [];
    await adminHandler({ app }, logs)({ action: 'setup', applicationUser: { name: app.username, secretName: 'app' } });
    const wrongUser = adminHandler({ other: { username: 'someone_else', password: app.password } }, logs);
    const error = await wrongUser({ action: 'setup', applicationUser: { name: app.username, secretName: 'other' } }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', message: `the secret is for user "someone_else", not "${app.username}"` });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(app.password);
    expect(String((error as Error).message)).not.toContain(app.password);
  });

  test('a hostile user or secret name is refused before anything reaches the database, naming each field', async () => {
    const handler = adminHandler({});
    await expect(handler({ action: 'setup', applicationUser: { name: "app'@'%'; DROP DATABASE x; --", secretName: 'a b' } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: '"applicationUser.name" must be a MySQL user name (a letter, then letters, digits or _; at most 32), got "app\'@\'%\'; DROP DATABASE x; --"; '
        + '"applicationUser.secretName" must be a Secrets Manager secret name, got "a b"',
    });
    await expect(handler({ action: 'setup', applicationUser: 'app' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  test('setup with an application user needs the secret reader and the database name', async () => {
    const app = newAppUser();
    const handler = createNotesHandler({ db: connect(admin.user, admin.password) });
    await expect(handler({ action: 'setup', applicationUser: { name: app.username, secretName: 'app' } })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });
});

describe('reading the application user\'s secret through Parameter Store', () => {
  test('asks for the /aws/reference/secretsmanager/ path and returns user and password', async () => {
    const asked: string[] = [];
    const read = secretReferenceReader(async (name) => {
      asked.push(name);
      return JSON.stringify({ username: 'orders_app', password: 'p'.repeat(20), engine: 'mysql' });
    });
    expect(await read('OrdersAppUser-x1')).toEqual({ username: 'orders_app', password: 'p'.repeat(20) });
    expect(asked).toEqual(['/aws/reference/secretsmanager/OrdersAppUser-x1']);
  });

  test('a secret that is not a database secret, or cannot be read, fails naming the secret but never its value', async () => {
    const notJson = secretReferenceReader(async () => 'hunter2-not-json');
    await expect(notJson('s')).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: 'the secret "s" is not a database secret (JSON with "username" and "password")' });
    const denied = secretReferenceReader(async () => {
      const err = new Error('User is not authorized');
      err.name = 'AccessDeniedException';
      throw err;
    });
    await expect(denied('s')).rejects.toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: true, message: 'the secret "s" could not be read: AccessDeniedException' });
    const refused = secretReferenceReader(async () => {
      throw new AwsServiceError('ssm', 'GetParameter', 'ParameterNotFound', 'refused', 400, 'no such secret');
    });
    await expect(refused('s')).rejects.toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: false, message: 'the secret "s" could not be read: ParameterNotFound' });
  });
});
