import type { Database } from '../../lambda-src/db-query/database';
import { failureCode, MAX_STORM_SECONDS, parseStormRequest, runStormClient } from '../../lambda-src/examples/rds-integration/connection-storm/storm';
import { createTestDatabase, localDatabase, type TestDatabase } from '../helpers/mariadb';

// The connection-storm client of RdsIntegrationLab against the real MariaDB: what one
// client holds, and what a database with a connection limit does to the clients beyond it
// (the "without the proxy" half of the exercise).
let testDb: TestDatabase;
const limitedUser = `storm_${Math.random().toString(36).slice(2, 8)}`;
const limitedPassword = 'storm-test-password';
const opened: Database[] = [];

function database(user = testDb.user, password = testDb.password): Database {
  const db = localDatabase({ user, password, database: testDb.database });
  opened.push(db);
  return db;
}

beforeAll(async () => {
  testDb = await createTestDatabase('rdslab_storm');
  // A per-account connection limit stands in for max_connections, which is global to the server.
  await testDb.root.query('CREATE USER ?@\'%\' IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS 2', [limitedUser, limitedPassword]);
  await testDb.root.query(`GRANT SELECT ON \`${testDb.database}\`.* TO ?@'%'`, [limitedUser]);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

afterAll(async () => {
  await testDb?.root.query('DROP USER IF EXISTS ?@\'%\'', [limitedUser]);
  await testDb?.drop();
});

describe('RdsIntegrationLab connection-storm client', () => {
  test('hold keeps one idle connection open for the whole time and uses it twice', async () => {
    const db = database();
    const waited: number[] = [];
    const result = await runStormClient(db, { mode: 'hold', seconds: 3, target: 'proxy' }, { sleep: async (ms) => void waited.push(ms) });
    expect(result).toMatchObject({ mode: 'hold', seconds: 3, target: 'proxy', connectionId: db.connectionId });
    expect(waited).toEqual([3000]);
    expect(db.stats).toMatchObject({ connects: 1, queries: 2 });
    expect(await testDb.openConnections()).toContain(db.connectionId);
  });

  test('sleep keeps the server connection busy in one statement for the whole time', async () => {
    const db = database();
    const result = await runStormClient(db, { mode: 'sleep', seconds: 1, target: 'proxy' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(990);
    expect(db.stats.queries).toBe(1);
  });

  test('beyond the connection limit the database refuses the extra clients and each failure names the server code', async () => {
    const clients = [0, 1, 2, 3].map(() => database(limitedUser, limitedPassword));
    const outcomes = await Promise.allSettled(clients.map((db) => runStormClient(db, { mode: 'sleep', seconds: 1, target: 'instance' })));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(failed).toHaveLength(2);
    for (const failure of failed) {
      expect(failure.reason).toMatchObject({ code: 'DB_CONNECT_FAILED' });
      expect(failureCode(failure.reason)).toMatch(/^ER_(USER_LIMIT_REACHED|TOO_MANY_USER_CONNECTIONS)$/);
    }
  });

  test('defaults to 30 seconds of hold through the proxy', () => {
    expect(parseStormRequest({})).toEqual({ mode: 'hold', seconds: 30, target: 'proxy' });
    expect(parseStormRequest({ mode: 'sleep', seconds: MAX_STORM_SECONDS, target: 'instance' })).toEqual({ mode: 'sleep', seconds: 90, target: 'instance' });
  });

  test('a bad request names every problem', () => {
    expect(() => parseStormRequest({ mode: 'burst', seconds: 91, target: 'replica' })).toThrow(
      /mode must be "hold" or "sleep", got "burst"; target must be "proxy" or "instance", got "replica"; seconds must be an integer between 1 and 90, got 91/);
    expect(() => parseStormRequest({ seconds: '10' })).toThrow(/seconds must be an integer between 1 and 90, got "10"/);
  });
});
