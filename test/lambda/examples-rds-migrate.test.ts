import * as net from 'node:net';
import { createConnection } from 'mysql2/promise';
import type { Database, DbLogger } from '../../lambda-src/db-query/database';
import { applyMigrations, ensureApplicationUser, MIGRATIONS, SCHEMA_VERSION } from '../../lambda-src/examples/rds-integration/migrate/migrations';
import { createSchemaMigration } from '../../lambda-src/examples/rds-integration/migrate/schema-migration';
import { closedLoopbackPort } from '../helpers/loopback-port';
import { createTestDatabase, localDatabase, MARIADB_HOST, MARIADB_PORT, mariaDbCa, type TestDatabase } from '../helpers/mariadb';

// The RdsIntegrationLab schema migration against the real MariaDB of scripts/services.sh,
// through the db-query runtime. It runs as root here (the master user on RDS): it creates
// the application user, which a database-scoped user could not.
let testDb: TestDatabase;
const opened: Database[] = [];
const appUsers: string[] = [];
const quiet: DbLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const options = { timeoutMs: 10_000 };

function asMaster(port = MARIADB_PORT): Database {
  const db = localDatabase({ user: 'root', password: '', database: testDb.database, port, connectTimeoutMs: 1000 });
  opened.push(db);
  return db;
}

function appUserName(): string {
  const name = `app_${Math.random().toString(36).slice(2, 10)}`;
  appUsers.push(name);
  return name;
}

async function connectAs(user: string, password: string) {
  return createConnection({ host: MARIADB_HOST, port: MARIADB_PORT, user, password, database: testDb.database, ssl: { ca: mariaDbCa() } });
}

async function tables(): Promise<string[]> {
  const [rows] = await testDb.root.query(`SHOW TABLES FROM \`${testDb.database}\``);
  return (rows as Array<Record<string, string>>).map((r) => Object.values(r)[0]).sort();
}

async function indexesOfItems(): Promise<string[]> {
  const [rows] = await testDb.root.query('SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [testDb.database, 'items']);
  return (rows as Array<{ name: string }>).map((r) => r.name).sort();
}

beforeAll(async () => {
  testDb = await createTestDatabase('rdslab_mig');
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

afterAll(async () => {
  for (const user of appUsers) await testDb.root.query('DROP USER IF EXISTS ?@\'%\'', [user]);
  await testDb?.drop();
});

describe('RdsIntegrationLab migrations against MariaDB', () => {
  test('the first run creates items (with its name index) and records every version', async () => {
    const outcome = await applyMigrations(asMaster(), options);
    expect(outcome).toEqual({ applied: [1, 2], schemaVersion: SCHEMA_VERSION });
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(await tables()).toEqual(['items', 'schema_migrations']);
    expect(await indexesOfItems()).toEqual(['PRIMARY', 'items_name']);
    const [rows] = await testDb.root.query(`SELECT version, name FROM \`${testDb.database}\`.schema_migrations ORDER BY version`);
    expect(rows).toEqual([{ version: 1, name: 'create items' }, { version: 2, name: 'index items by name' }]);
  });

  test('a rerun applies nothing, fails on nothing and changes nothing', async () => {
    await applyMigrations(asMaster(), options);
    await testDb.root.query(`INSERT INTO \`${testDb.database}\`.items (name, quantity) VALUES ('kept', 3)`);
    const outcome = await applyMigrations(asMaster(), options);
    expect(outcome).toEqual({ applied: [], schemaVersion: SCHEMA_VERSION });
    expect(await indexesOfItems()).toEqual(['PRIMARY', 'items_name']);
    const [rows] = await testDb.root.query(`SELECT name, quantity FROM \`${testDb.database}\`.items`);
    expect(rows).toEqual([{ name: 'kept', quantity: 3 }]);
  });

  test('a migration cut off after its DDL but before it was recorded finishes on the next run', async () => {
    await applyMigrations(asMaster(), options);
    // The index exists but version 2 is not recorded: what a crash between the two leaves behind.
    await testDb.root.query(`DELETE FROM \`${testDb.database}\`.schema_migrations WHERE version = 2`);
    expect(await applyMigrations(asMaster(), options)).toEqual({ applied: [2], schemaVersion: 2 });
    expect(await indexesOfItems()).toEqual(['PRIMARY', 'items_name']);
  });

  test('the application user may read and write items and nothing else; a rerun keeps its password', async () => {
    const db = asMaster();
    await applyMigrations(db, options);
    const user = appUserName();
    await ensureApplicationUser(db, user, 'first-password-1', options);
    await ensureApplicationUser(db, user, 'second-password-2', options);

    const app = await connectAs(user, 'first-password-1');
    try {
      await app.query('INSERT INTO items (name, quantity) VALUES (?, ?)', ['granted', 1]);
      await app.query('UPDATE items SET quantity = 2 WHERE name = ?', ['granted']);
      const [rows] = await app.query('SELECT quantity FROM items WHERE name = ?', ['granted']);
      expect(rows).toEqual([{ quantity: 2 }]);
      await app.query('DELETE FROM items WHERE name = ?', ['granted']);
      await expect(app.query('CREATE TABLE sneaky (a INT)')).rejects.toMatchObject({ code: expect.stringMatching(/ACCESS_DENIED/) });
      await expect(app.query('DROP TABLE items')).rejects.toMatchObject({ code: expect.stringMatching(/ACCESS_DENIED/) });
      await expect(app.query('SELECT * FROM schema_migrations')).rejects.toMatchObject({ code: expect.stringMatching(/ACCESS_DENIED/) });
    } finally {
      await app.end();
    }
    await expect(connectAs(user, 'second-password-2')).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });
  });

  test.each([
    ['x\'@\'%\'; DROP DATABASE mysql; --'],
    ['Robert'],
    ['1user'],
    ['a'.repeat(33)],
  ])('an application user name that is not a plain lower-case MySQL name is refused before any statement: %s', async (user) => {
    const db = asMaster();
    await expect(ensureApplicationUser(db, user, 'long-enough-password', options)).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    expect(db.stats.queries).toBe(0);
  });

  test('a password with SQL metacharacters is data: the user logs in with exactly that password', async () => {
    const db = asMaster();
    await applyMigrations(db, options);
    const user = appUserName();
    const password = 'p\'w"d`; DROP TABLE items; -- ? \\';
    await ensureApplicationUser(db, user, password, options);
    const app = await connectAs(user, password);
    await app.end();
    expect(await tables()).toEqual(['items', 'schema_migrations']);
  });
});

describe('RdsIntegrationLab schema-migration custom resource', () => {
  test('Create migrates, creates the user and reports the schema version; Update reruns harmlessly', async () => {
    const user = appUserName();
    const migrate = createSchemaMigration({ db: asMaster(), applicationUser: user, applicationPassword: async () => 'created-by-resource', logger: quiet });
    const created = await migrate({ RequestType: 'Create' });
    expect(created).toEqual({ PhysicalResourceId: 'schema', Data: { SchemaVersion: String(SCHEMA_VERSION), Applied: expect.any(String) } });
    const updated = await migrate({ RequestType: 'Update', PhysicalResourceId: 'schema' });
    expect(updated).toEqual({ PhysicalResourceId: 'schema', Data: { SchemaVersion: String(SCHEMA_VERSION), Applied: '' } });
    const app = await connectAs(user, 'created-by-resource');
    await app.end();
  });

  test('Delete answers at once without touching the database or the secret', async () => {
    const db = asMaster(1);
    let secretRead = false;
    const migrate = createSchemaMigration({ db, applicationUser: 'app', applicationPassword: async () => (secretRead = true, 'x'), logger: quiet });
    expect(await migrate({ RequestType: 'Delete', PhysicalResourceId: 'schema' })).toEqual({ PhysicalResourceId: 'schema' });
    expect(db.stats.connects + db.stats.queries).toBe(0);
    expect(secretRead).toBe(false);
  });

  test('an unknown request type is refused', async () => {
    const migrate = createSchemaMigration({ db: asMaster(), applicationUser: 'app', applicationPassword: async () => 'x', logger: quiet });
    await expect(migrate({ RequestType: 'Replace' as never })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  test('while the proxy does not accept connections yet it retries, then migrates once the database answers', async () => {
    // A loopback port that refuses connections until the second wait, then forwards to MariaDB:
    // what RDS Proxy looks like while it registers its target after the stack created it.
    const port = await closedLoopbackPort();
    const sockets = new Set<net.Socket>();
    const forwarder = net.createServer((client) => {
      const upstream = net.connect(MARIADB_PORT, MARIADB_HOST);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    const waits: number[] = [];
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const user = appUserName();
    try {
      const migrate = createSchemaMigration({
        db: asMaster(port),
        applicationUser: user,
        applicationPassword: async () => 'after-the-wait',
        logger: { ...quiet, warn: (_m, attributes) => warnings.push(attributes) },
        retryIntervalMs: 5,
        sleep: async (ms) => {
          waits.push(ms);
          if (waits.length === 2) await new Promise<void>((resolve) => forwarder.listen(port, MARIADB_HOST, resolve));
        },
      });
      const result = await migrate({ RequestType: 'Create' }, { getRemainingTimeInMillis: () => 600_000 });
      expect(result.Data?.SchemaVersion).toBe(String(SCHEMA_VERSION));
      expect(waits).toEqual([5, 5]);
      expect(warnings).toEqual([{ attempt: 1, code: 'DB_CONNECT_FAILED' }, { attempt: 2, code: 'DB_CONNECT_FAILED' }]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => forwarder.close(() => resolve()));
    }
  });

  test('it gives up before the invocation ends and reports the connect failure', async () => {
    let clock = 0;
    const waits: number[] = [];
    const migrate = createSchemaMigration({
      db: asMaster(await closedLoopbackPort()),
      applicationUser: 'app',
      applicationPassword: async () => 'x',
      logger: quiet,
      retryIntervalMs: 15_000,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    // 90 s left: 30 s are kept to report, so at most 60 s of waiting in 15 s steps.
    await expect(migrate({ RequestType: 'Create' }, { getRemainingTimeInMillis: () => 90_000 })).rejects.toMatchObject({ code: 'DB_CONNECT_FAILED' });
    expect(waits).toEqual([15_000, 15_000, 15_000, 15_000]);
  });

  test('a statement error is not retried: it fails the deployment at once', async () => {
    // The database-scoped test user may not create users: the migration reaches the database and fails on a statement.
    const db = localDatabase({ user: testDb.user, password: testDb.password, database: testDb.database });
    opened.push(db);
    let waited = false;
    const migrate = createSchemaMigration({ db, applicationUser: 'app_denied', applicationPassword: async () => 'long-enough', logger: quiet, sleep: async () => void (waited = true) });
    await expect(migrate({ RequestType: 'Create' })).rejects.toMatchObject({ code: expect.stringMatching(/ACCESS_DENIED/) });
    expect(waited).toBe(false);
  });
});
