import { testRuntime } from './db-query-harness';
import type { Database } from '../../lambda-src/db-query/database';
import { createTestDatabase, type TestDatabase } from '../helpers/mariadb';

// The statement guard through the data-access runtime, against the real MariaDB: session
// pinning and locking constructs are refused before they reach the server (so the server
// shows no lock afterwards), and ordinary statements that carry the same words inside
// literals and identifiers still run.
let testDb: TestDatabase;
let db: Database;

async function lockHolder(name: string): Promise<number | null> {
  const [rows] = await testDb.root.query('SELECT IS_USED_LOCK(?) AS holder', [name]);
  return (rows as Array<{ holder: number | null }>)[0].holder;
}

beforeAll(async () => {
  testDb = await createTestDatabase('dbqguard');
  await testDb.root.query(`CREATE TABLE \`${testDb.database}\`.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT NULL, qty INT NOT NULL)`);
  // A stored procedure that takes a named lock: CALL would hold it in the proxied session.
  await testDb.root.query(`CREATE PROCEDURE \`${testDb.database}\`.grab_lock() DO GET_LOCK('dbq-guard-proc', 0)`);
});
beforeEach(() => {
  db = testRuntime(testDb);
});
afterEach(async () => {
  await db.close();
});
afterAll(async () => {
  await testDb?.drop();
});

describe('db-query statement guard against MariaDB', () => {
  test.each([
    ['SELECT `GET_LOCK`(\'dbq-guard-a\', 10)', 'dbq-guard-a', 'GET_LOCK()'],
    ['SELECT get_lock /* a comment */ (\'dbq-guard-b\', 10)', 'dbq-guard-b', 'GET_LOCK()'],
    ['SELECT 1 /*M!100000 + GET_LOCK(\'dbq-guard-d\', 0) */', 'dbq-guard-d', 'executable comments'],
    ['CALL grab_lock()', 'dbq-guard-proc', 'CALL'],
  ])('%s is refused with an error naming the construct, and the server holds no lock', async (sql, lock, construct) => {
    // the session would hold the lock after the statement: prove it is never sent
    await expect(db.query(sql)).rejects.toMatchObject({ message: expect.stringContaining(construct) });
    expect(await lockHolder(lock)).toBeNull();
  });

  test.each([
    ['SELECT @é := 1', 'DB_PINNING_RISK', 'user variables'],
    ['SELECT @`ok` := 1', 'DB_PINNING_RISK', 'user variables'],
    ['HANDLER items OPEN', 'DB_PINNING_RISK', 'HANDLER'],
    ['DO GET_LOCK(\'x\', 0)', 'DB_INVALID_SQL', 'DO statements are not accepted'],
    ['FLUSH TABLES WITH READ LOCK', 'DB_INVALID_SQL', 'FLUSH statements are not accepted'],
  ])('%s is refused before it is sent (%s naming %s)', async (sql, code, construct) => {
    await expect(db.query(sql)).rejects.toMatchObject({ code, message: expect.stringContaining(construct) });
    expect(db.stats.queries).toBe(0);
  });

  test('statements with the same words inside literals and identifiers still run', async () => {
    const texts = ['SELECT `GET_LOCK`(\'x\', 10)', '@é := 1', 'CALL grab_lock(); HANDLER items OPEN', '/*M! GET_LOCK */ \\ backslash'];
    await db.write('INSERT INTO items (name, qty) VALUES (\'SELECT `GET_LOCK`(\'\'x\'\', 10)\', 1), (\'@é := 1\', 2), ' +
      '(\'CALL grab_lock(); HANDLER items OPEN\', 3), (\'/*M! GET_LOCK */ \\\\ backslash\', 4)');
    const { rows } = await db.read<{ get_lock: string; call: string }>(
      'SELECT name AS `get_lock`, "CALL" AS `call` FROM items WHERE name <> \'@x\' AND qty BETWEEN ? AND ? ORDER BY qty', [1, 4]);
    expect(rows).toEqual(texts.map((text) => ({ get_lock: text, call: 'CALL' })));
    expect((await db.read<{ n: number }>('WITH counted AS (SELECT COUNT(*) AS n FROM items) SELECT n FROM counted')).rows).toEqual([{ n: 4 }]);
    expect((await db.read('SHOW TABLES')).rows).toHaveLength(1);
  });
});
