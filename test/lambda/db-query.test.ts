import { testRuntime } from './db-query-harness';
import { passwordProvider } from '../../lambda-src/db-query/credentials';
import { Database, type DbLogger } from '../../lambda-src/db-query/database';
import { DbError } from '../../lambda-src/db-query/errors';
import { createNotesHandler } from '../../lambda-src/db-query/notes';
import { createTestDatabase, MARIADB_HOST, type TestDatabase } from '../helpers/mariadb';

// The data-access runtime against a real MariaDB on loopback with TLS (scripts/services.sh).
let testDb: TestDatabase;
const opened: Database[] = [];

interface LogRecord { level: string; message: string; attributes?: Record<string, unknown> }

function newDatabase(overrides: Partial<ConstructorParameters<typeof Database>[0]> = {}, logs: LogRecord[] = []): Database {
  const logger: DbLogger = {
    debug: (message, attributes) => logs.push({ level: 'debug', message, attributes }),
    info: (message, attributes) => logs.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => logs.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => logs.push({ level: 'error', message, attributes }),
  };
  const db = testRuntime(testDb, { logger, ...overrides });
  opened.push(db);
  return db;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase('dbq');
  await testDb.root.query(`CREATE TABLE \`${testDb.database}\`.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE, qty INT NOT NULL)`);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

afterAll(async () => {
  await testDb?.drop();
});

describe('db-query runtime against MariaDB', () => {
  test('creates, reads, updates and deletes rows through parameters only', async () => {
    const db = newDatabase();
    const inserted = await db.write('INSERT INTO items (name, qty) VALUES (?, ?)', ['apple', 3]);
    expect(inserted.affectedRows).toBe(1);
    expect(inserted.insertId).toBeGreaterThan(0);

    const read = await db.read<{ name: string; qty: number }>('SELECT name, qty FROM items WHERE id = ?', [inserted.insertId]);
    expect(read.rows).toEqual([{ name: 'apple', qty: 3 }]);

    const updated = await db.write('UPDATE items SET qty = qty + ? WHERE id = ?', [2, inserted.insertId]);
    expect(updated.affectedRows).toBe(1);
    expect((await db.read<{ qty: number }>('SELECT qty FROM items WHERE id = ?', [inserted.insertId])).rows[0].qty).toBe(5);

    const inList = await db.read<{ name: string }>('SELECT name FROM items WHERE id IN (?)', [[inserted.insertId, -1]]);
    expect(inList.rows).toEqual([{ name: 'apple' }]);

    expect((await db.write('DELETE FROM items WHERE id = ?', [inserted.insertId])).affectedRows).toBe(1);
    expect((await db.read('SELECT * FROM items WHERE id = ?', [inserted.insertId])).rows).toEqual([]);
  });

  test('SQL metacharacters in values stay data', async () => {
    const db = newDatabase();
    const nasty = [
      "Robert'); DROP TABLE items; --",
      '" OR 1=1 -- ',
      'back\\slash \\\' quote',
      '`tick` ; SELECT 1; /* comment */ # hash',
      '?? ? placeholders ?',
      '@user_var := 1',
      'emoji 🦀 and \u0000 nul',
    ];
    for (const [i, name] of nasty.entries()) {
      await db.write('INSERT INTO items (name, qty) VALUES (?, ?)', [name, i]);
    }
    const { rows } = await db.read<{ name: string }>('SELECT name FROM items WHERE qty < ? ORDER BY qty', [nasty.length]);
    expect(rows.map((r) => r.name)).toEqual(nasty);
    const [tables] = await testDb.root.query(`SHOW TABLES FROM \`${testDb.database}\``);
    expect((tables as unknown[]).length).toBe(1);
    await db.write('DELETE FROM items WHERE qty < ?', [nasty.length]);
  });

  test('server errors pass through with their mysql2 code', async () => {
    const db = newDatabase();
    await db.write('INSERT INTO items (name, qty) VALUES (?, ?)', ['dup', 1]);
    await expect(db.write('INSERT INTO items (name, qty) VALUES (?, ?)', ['dup', 2])).rejects.toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062 });
    // the connection stays usable after a statement error
    expect((await db.read('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.write('DELETE FROM items WHERE name = ?', ['dup']);
  });

  test('1,000 warm invocations of the example handler open one connection', async () => {
    const db = newDatabase();
    const handler = createNotesHandler({ db });
    await handler({ action: 'setup' });
    const firstId = db.connectionId;
    for (let i = 0; i < 1000; i++) {
      await handler({ action: 'get', id: 1 + (i % 7) });
    }
    expect(db.stats.connects).toBe(1);
    expect(db.connectionId).toBe(firstId);
    expect(await testDb.openConnections()).toEqual([firstId]);
  });

  test('the example handler bounds each statement by the invocation time left minus 500 ms', async () => {
    const db = newDatabase();
    const handler = createNotesHandler({ db, queryTimeoutMs: 10_000 });
    await handler({ action: 'setup' });
    const read = jest.spyOn(db, 'read');
    await handler({ action: 'get', id: 1 }, { getRemainingTimeInMillis: () => 2_500 });
    await handler({ action: 'get', id: 1 }, { getRemainingTimeInMillis: () => 60_000 });
    expect(read.mock.calls.map((c) => c[2])).toEqual([{ timeoutMs: 2_000 }, { timeoutMs: 10_000 }]);
  });

  test('a connection killed server-side between invocations heals on the next invocation', async () => {
    const logs: LogRecord[] = [];
    const db = newDatabase({}, logs);
    const handler = createNotesHandler({ db });
    await handler({ action: 'setup' });
    const put = await handler({ action: 'put', body: 'before the kill' }) as { note: { id: number } };
    const killed = db.connectionId!;
    await testDb.root.query(`KILL ${killed}`);
    await waitFor(async () => !(await testDb.openConnections()).includes(killed));

    const got = await handler({ action: 'get', id: put.note.id });
    expect(got).toEqual({ note: { id: put.note.id, body: 'before the kill' } });
    expect(db.connectionId).not.toBe(killed);
    expect(db.stats.connects).toBe(2);
  });

  test('a socket that died while the environment was frozen is detected by the ping after idle', async () => {
    let clock = 1_000_000;
    const db = newDatabase({ now: () => clock, staleAfterMs: 60_000 });
    await db.read('SELECT 1');
    const first = db.connectionId!;
    // Simulate the freeze: the socket is destroyed without the runtime noticing.
    const conn = (db as unknown as { conn: { stream: { removeAllListeners(): void; destroy(): void } } }).conn;
    conn.stream.removeAllListeners();
    conn.stream.destroy();
    clock += 120_000;
    expect((await db.read<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(db.stats.staleDetected).toBe(1);
    expect(db.stats.reconnects).toBe(1);
    expect(db.connectionId).not.toBe(first);
  });

  test('an idempotent read interrupted by a lost connection is retried once; a statement not marked idempotent is not', async () => {
    const db = newDatabase();
    await db.read('SELECT 1');
    const victim = db.connectionId!;
    const read = db.read<{ v: number }>('SELECT SLEEP(0.3) AS v');
    await new Promise((r) => setTimeout(r, 100));
    await testDb.root.query(`KILL ${victim}`);
    expect((await read).rows).toEqual([{ v: 0 }]);
    expect(db.stats.reconnects).toBe(1);

    const second = db.connectionId!;
    // not marked idempotent: never retried (the catch is attached at once: the rejection may come while KILL is awaited)
    const write = db.query('SELECT SLEEP(0.3) AS v').catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    await testDb.root.query(`KILL ${second}`);
    expect(await write).toMatchObject({ code: 'DB_CONNECTION_LOST', retryable: true });
  });

  test('a transaction commits when the callback resolves and rolls back when it throws', async () => {
    const db = newDatabase();
    const committed = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO items (name, qty) VALUES (?, ?)', ['tx-commit', 1]);
      return 'done';
    });
    expect(committed).toBe('done');

    const failure = new Error('business rule violated');
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO items (name, qty) VALUES (?, ?)', ['tx-rollback', 1]);
      throw failure;
    })).rejects.toBe(failure);

    const { rows } = await db.read<{ name: string }>('SELECT name FROM items WHERE name LIKE ? ORDER BY name', ['tx-%']);
    expect(rows.map((r) => r.name)).toEqual(['tx-commit']);
    // a SQL error inside the transaction rolls back the earlier statements too
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO items (name, qty) VALUES (?, ?)', ['tx-partial', 1]);
      await tx.query('INSERT INTO items (name, qty) VALUES (?, ?)', ['tx-commit', 1]);
    })).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect((await db.read('SELECT * FROM items WHERE name = ?', ['tx-partial'])).rows).toEqual([]);
    await db.write('DELETE FROM items WHERE name LIKE ?', ['tx-%']);
  });

  test('statements issued during a transaction wait for it instead of joining it', async () => {
    const db = newDatabase();
    let outside: Promise<unknown> | undefined;
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO items (name, qty) VALUES (?, ?)', ['tx-isolated', 1]);
      outside = db.write('INSERT INTO items (name, qty) VALUES (?, ?)', ['outside', 1]);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    await outside;
    const { rows } = await db.read<{ name: string }>('SELECT name FROM items WHERE name IN (?) ORDER BY name', [['tx-isolated', 'outside']]);
    expect(rows.map((r) => r.name)).toEqual(['outside']);
    await db.write('DELETE FROM items WHERE name = ?', ['outside']);
  });

  test('64 concurrent invocations in one environment share its single connection and all succeed', async () => {
    const db = newDatabase();
    const handler = createNotesHandler({ db });
    await handler({ action: 'setup' });
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) =>
      (i % 2 === 0 ? handler({ action: 'put', body: `concurrent ${i}` }) : handler({ action: 'list', limit: 3 }))));
    const bodies = results.filter((r) => (r as { note?: unknown }).note).map((r) => (r as { note: { body: string } }).note.body);
    expect(bodies.sort()).toEqual(Array.from({ length: 32 }, (_, i) => `concurrent ${i * 2}`).sort());
    expect(db.stats.connects).toBe(1);
  });

  test('a read-only transaction refuses writes with the server error; the tx handle is dead after the callback', async () => {
    const db = newDatabase();
    await expect(db.transaction((tx) => tx.query('INSERT INTO items (name, qty) VALUES (?, ?)', ['ro', 1]), { readOnly: true }))
      .rejects.toMatchObject({ errno: 1792 });
    let escaped: { query: (sql: string) => Promise<unknown> } | undefined;
    await db.transaction(async (tx) => {
      escaped = tx;
    });
    await expect(escaped!.query('SELECT 1')).rejects.toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('already ended') });
  });

  test('a statement slower than its timeout fails with DB_QUERY_TIMEOUT and the next one reconnects', async () => {
    const db = newDatabase();
    await expect(db.read('SELECT SLEEP(?)', [1], { timeoutMs: 100 })).rejects.toMatchObject({ code: 'DB_QUERY_TIMEOUT', retryable: true });
    expect((await db.read('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    expect(db.stats.connects).toBe(2);
  });

  test('wrong credentials fail with DB_AUTH_FAILED and the log holds no password', async () => {
    const logs: LogRecord[] = [];
    const db = newDatabase({ credentials: passwordProvider('not-the-password-123') }, logs);
    await expect(db.read('SELECT 1')).rejects.toMatchObject({ code: 'DB_AUTH_FAILED', retryable: false });
    expect(JSON.stringify(logs)).not.toContain('not-the-password-123');
    expect(logs.some((l) => l.level === 'error')).toBe(true);
  });

  test('an unreachable server fails with a retryable DB_CONNECT_FAILED', async () => {
    const db = newDatabase({ port: 1, connectTimeoutMs: 500 });
    const err = await db.read('SELECT 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbError);
    expect(err).toMatchObject({ code: 'DB_CONNECT_FAILED', retryable: true });
  });

  test('a server certificate from an unknown CA is refused, even when it names the host connected to', async () => {
    // The local MariaDB's certificate names localhost: only the CA is wrong here.
    const db = newDatabase({ host: 'localhost', tls: {} });
    await expect(db.read('SELECT 1')).rejects.toMatchObject({ code: 'DB_CONNECT_FAILED', message: expect.stringContaining('self-signed certificate in certificate chain') });
  });

  test('the connect log names host, user, auth mode and TLS version', async () => {
    const logs: LogRecord[] = [];
    const db = newDatabase({}, logs);
    await db.read('SELECT 1');
    const connected = logs.find((l) => l.message === 'database connected');
    expect(connected?.attributes).toMatchObject({ host: MARIADB_HOST, user: testDb.user, authMode: 'password', tlsVersion: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(JSON.stringify(logs)).not.toContain(testDb.password);
  });

  test('bad statements are refused before anything is sent', async () => {
    const db = newDatabase();
    await expect(db.query('SELECT * FROM items WHERE name = \'x\'', ['x'])).rejects.toMatchObject({ code: 'DB_INVALID_SQL' });
    await expect(db.query('SELECT 1; DROP TABLE items')).rejects.toMatchObject({ code: 'DB_INVALID_SQL' });
    await expect(db.query('SET @a = 1')).rejects.toMatchObject({ code: 'DB_PINNING_RISK' });
    await expect(db.query('SELECT ?', ['x'.repeat(2 * 1024 * 1024)])).rejects.toMatchObject({ code: 'DB_PAYLOAD_TOO_LARGE' });
    expect(db.stats.connects).toBe(0);
  });
});
