import type { Database, DbLogger } from '../../lambda-src/db-query/database';
import { type FunctionUrlRequest, LIMITS } from '../../lambda-src/examples/rds-integration/items-api/item-requests';
import { createItemsApi, type HttpResponse } from '../../lambda-src/examples/rds-integration/items-api/items-api';
import { applyMigrations, ensureApplicationUser } from '../../lambda-src/examples/rds-integration/migrate/migrations';
import { closedLoopbackPort } from '../helpers/loopback-port';
import { createTestDatabase, localDatabase, MARIADB_PORT, type TestDatabase } from '../helpers/mariadb';

// The RdsIntegrationLab items API against the real MariaDB, through the db-query runtime,
// as the application user the migration creates (so the grants are tested too).
let testDb: TestDatabase;
let appDb: Database;
const appUser = `items_${Math.random().toString(36).slice(2, 8)}`;
const appPassword = 'items-api-test-password';
const errors: Array<Record<string, unknown> | undefined> = [];
const logger: DbLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (_m, a) => errors.push(a) };

function database(user: string, password: string, port = MARIADB_PORT, name = testDb.database): Database {
  return localDatabase({ user, password, database: name, port, connectTimeoutMs: 1000 });
}

let api: ReturnType<typeof createItemsApi>;

beforeAll(async () => {
  testDb = await createTestDatabase('rdslab_api');
  const master = database('root', '');
  await applyMigrations(master, { timeoutMs: 10_000 });
  await ensureApplicationUser(master, appUser, appPassword, { timeoutMs: 10_000 });
  await master.close();
  appDb = database(appUser, appPassword);
  api = createItemsApi({ db: appDb, logger });
});

afterAll(async () => {
  await appDb?.close();
  await testDb?.root.query('DROP USER IF EXISTS ?@\'%\'', [appUser]);
  await testDb?.drop();
});

function request(method: string, rawPath: string, body?: unknown, extra: Partial<FunctionUrlRequest> = {}): FunctionUrlRequest {
  return {
    rawPath,
    requestContext: { http: { method } },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    ...extra,
  };
}

async function call(method: string, rawPath: string, body?: unknown, extra?: Partial<FunctionUrlRequest>): Promise<HttpResponse & { json: any }> {
  const response = await api(request(method, rawPath, body, extra), { getRemainingTimeInMillis: () => 10_000 });
  return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
}

async function itemCount(): Promise<number> {
  const [rows] = await testDb.root.query(`SELECT COUNT(*) AS n FROM \`${testDb.database}\`.items`);
  return Number((rows as Array<{ n: number }>)[0].n);
}

describe('RdsIntegrationLab items API against MariaDB', () => {
  test('creates, reads, updates (with optimistic concurrency), lists and deletes an item', async () => {
    const created = await call('POST', '/items', { name: 'widget', description: 'a small one', quantity: 5 });
    expect(created.statusCode).toBe(201);
    const item = created.json.item;
    expect(item).toMatchObject({ name: 'widget', description: 'a small one', quantity: 5, version: 1 });
    expect(created.headers.location).toBe(`/items/${item.id}`);

    expect((await call('GET', `/items/${item.id}`)).json).toEqual({ item });

    const updated = await call('PUT', `/items/${item.id}`, { name: 'widget', description: 'restocked', quantity: 9, expectedVersion: 1 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json.item).toMatchObject({ id: item.id, description: 'restocked', quantity: 9, version: 2 });

    const stale = await call('PUT', `/items/${item.id}`, { name: 'widget', quantity: 0, expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json).toMatchObject({ error: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await call('GET', `/items/${item.id}`)).json.item.quantity).toBe(9);

    const unconditional = await call('PUT', `/items/${item.id}`, { name: 'widget', quantity: 1 });
    expect(unconditional.json.item).toMatchObject({ quantity: 1, description: '', version: 3 });

    const listed = await call('GET', '/items', undefined, { queryStringParameters: { limit: '100' } });
    expect(listed.json.items.map((i: { id: number }) => i.id)).toContain(item.id);

    expect((await call('DELETE', `/items/${item.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/items/${item.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/items/${item.id}`)).statusCode).toBe(404);
    expect((await call('PUT', `/items/${item.id}`, { name: 'gone', quantity: 1 })).statusCode).toBe(404);
  });

  test('pages through items in id order with limit and after', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await call('POST', '/items', { name: `page-${i}`, quantity: i })).json.item.id);
    const first = await call('GET', '/items', undefined, { queryStringParameters: { limit: '2', after: String(ids[0] - 1) } });
    expect(first.json.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(0, 2));
    const second = await call('GET', '/items', undefined, { queryStringParameters: { limit: '2', after: String(ids[1]) } });
    expect(second.json.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(2, 4));
  });

  test('SQL metacharacters in names and descriptions are stored and returned as data', async () => {
    const before = await itemCount();
    const nasty = [
      'Robert\'); DROP TABLE items; --',
      '" OR 1=1 -- ',
      'back\\slash \\\' quote',
      '`tick` ; SELECT 1; /* c */ # h',
      '?? ? placeholders ?',
      '@user_var := 1',
      '%_ LIKE wildcards %',
      'emoji 🦀 and \u0000 nul',
    ];
    const ids: number[] = [];
    for (const text of nasty) {
      const created = await call('POST', '/items', { name: text, description: text, quantity: 1 });
      expect(created.statusCode).toBe(201);
      ids.push(created.json.item.id);
    }
    for (const [i, id] of ids.entries()) {
      expect((await call('GET', `/items/${id}`)).json.item).toMatchObject({ name: nasty[i], description: nasty[i] });
    }
    expect(await itemCount()).toBe(before + nasty.length);
  });

  test('the longest name MySQL can hold is counted in characters, not UTF-16 units', async () => {
    const name = '🦀'.repeat(LIMITS.maxNameChars);
    const created = await call('POST', '/items', { name, quantity: 0 });
    expect(created.statusCode).toBe(201);
    expect((await call('GET', `/items/${created.json.item.id}`)).json.item.name).toBe(name);
  });

  test.each([
    [{ name: 'x'.repeat(LIMITS.maxNameChars + 1), quantity: 1 }, /name must be a string of 1 to 100 characters, got a string of 101 characters/],
    [{ name: '', quantity: 1 }, /name must be a string of 1 to 100 characters, got ""/],
    [{ name: 'ok', description: 'd'.repeat(LIMITS.maxDescriptionChars + 1), quantity: 1 }, /description must be a string of at most 1000 characters/],
    [{ name: 'ok', quantity: '5' }, /quantity must be an integer between 0 and 1000000, got "5"/],
    [{ name: 'ok', quantity: -1 }, /quantity must be an integer between 0 and 1000000, got -1/],
    [{ name: 'ok', quantity: 1.5 }, /quantity must be an integer .*, got 1\.5/],
    [{ name: 'ok', quantity: 1_000_001 }, /quantity must be an integer .*, got 1000001/],
    [{ name: 42, quantity: 1 }, /name must be a string .*, got 42/],
    [{ name: ['a'], quantity: 1 }, /name must be a string .*, got an array/],
    [{ 'name': 'ok', 'quantity': 1, 'price': 3, 'x\'; DROP': 1 }, /unknown fields "price", "x'; DROP"/],
    [{}, /name must be a string .*, got nothing; quantity must be an integer .*, got nothing/],
  ])('a create with bad fields gets 400 naming every problem and writes nothing: %j', async (body, message) => {
    const before = await itemCount();
    const queries = appDb.stats.queries;
    const response = await call('POST', '/items', body);
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ error: 'INVALID_REQUEST', message: expect.stringMatching(message) });
    expect(appDb.stats.queries).toBe(queries);
    expect(await itemCount()).toBe(before);
  });

  test.each([
    ['not json', /the body must be a JSON object/],
    ['[1,2]', /the body must be a JSON object, got an array/],
    ['"text"', /the body must be a JSON object, got "text"/],
    ['null', /the body must be a JSON object, got null/],
    ['{"name":"ok","quantity":1e400}', /quantity must be an integer .*, got Infinity/],
  ])('a body that is not a usable JSON object gets 400: %s', async (body, message) => {
    const response = await call('POST', '/items', body);
    expect(response.statusCode).toBe(400);
    expect(response.json.message).toMatch(message);
  });

  test('a body over 16 KiB gets 413 before it is parsed', async () => {
    const response = await call('POST', '/items', JSON.stringify({ name: 'big', quantity: 1, description: 'x'.repeat(LIMITS.maxBodyBytes) }));
    expect(response.statusCode).toBe(413);
    expect(response.json.message).toMatch(/at most 16384 are accepted/);
  });

  test('a base64-encoded body (as function URLs send binary content types) is decoded', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'encoded', quantity: 2 })).toString('base64');
    const response = await call('POST', '/items', body, { isBase64Encoded: true });
    expect(response.statusCode).toBe(201);
    expect(response.json.item.name).toBe('encoded');
  });

  test.each([
    ['GET', '/items/1%20OR%201=1', 400, /the item id must be a positive integer/],
    ['GET', '/items/0', 400, /the item id must be a positive integer/],
    ['GET', '/items/99999999999999999', 400, /the item id must be a positive integer/],
    ['DELETE', '/items/-1', 400, /the item id must be a positive integer/],
    ['GET', '/items/1/extra', 404, /no route for \/items\/1\/extra/],
    ['GET', '/admin', 404, /no route for \/admin/],
  ])('%s %s gets %i without a statement', async (method, path, status, message) => {
    const queries = appDb.stats.queries;
    const response = await call(method, path);
    expect(response.statusCode).toBe(status);
    expect(response.json.message).toMatch(message);
    expect(appDb.stats.queries).toBe(queries);
  });

  test.each([
    ['PATCH', '/items/1', 'GET, PUT, DELETE'],
    ['DELETE', '/items', 'GET, POST'],
    ['POST', '/whoami', 'GET'],
  ])('%s %s gets 405 with the methods the route allows', async (method, path, allow) => {
    const response = await call(method, path, {});
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
  });

  test.each([
    [{ limit: '0' }, /limit must be an integer between 1 and 100, got "0"/],
    [{ limit: '101' }, /limit must be an integer between 1 and 100/],
    [{ limit: '1; DROP TABLE items' }, /limit must be an integer/],
    [{ after: '-5', limit: 'x' }, /limit must be an integer .*; after must be an integer between 0 and/],
  ])('list parameters out of range get 400: %j', async (query, message) => {
    const response = await call('GET', '/items', undefined, { queryStringParameters: query });
    expect(response.statusCode).toBe(400);
    expect(response.json.message).toMatch(message);
  });

  test('PUT checks expectedVersion as well as the fields', async () => {
    const response = await call('PUT', '/items/1', { name: 'x', quantity: 1, expectedVersion: '1' });
    expect(response.statusCode).toBe(400);
    expect(response.json.message).toMatch(/expectedVersion must be a positive integer, got "1"/);
  });

  test('whoami shows the application user and the server connection that answered', async () => {
    const response = await call('GET', '/whoami');
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ currentUser: `${appUser}@%`, serverHost: expect.any(String), serverVersion: expect.stringMatching(/MariaDB|^8\./), connectionId: appDb.connectionId });
  });

  test('an unreachable database gets 503 with Retry-After, and the failure is logged by code', async () => {
    const port = await closedLoopbackPort();
    const unreachable = createItemsApi({ db: database(appUser, appPassword, port), logger });
    errors.length = 0;
    const response = await unreachable(request('GET', '/items/1'));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(JSON.parse(response.body)).toEqual({ error: 'DATABASE_UNAVAILABLE', message: 'the database did not answer; retry shortly' });
    expect(errors).toEqual([{ name: 'DbError', code: 'DB_CONNECT_FAILED', retryable: true }]);
  });

  test('a statement the database refuses gets 500 without SQL or server details in the answer', async () => {
    const other = await createTestDatabase('rdslab_api_err');
    const noTable = database(other.user, other.password, MARIADB_PORT, other.database);
    const broken = createItemsApi({ db: noTable, logger });
    errors.length = 0;
    try {
      const response = await broken(request('GET', '/items/1'));
      expect(response.statusCode).toBe(500);
      expect(response.body).toBe(JSON.stringify({ error: 'INTERNAL', message: 'the request failed; see the function log' }));
      expect(errors).toEqual([{ name: 'Error', code: 'ER_NO_SUCH_TABLE', retryable: undefined }]);
    } finally {
      await noTable.close();
      await other.drop();
    }
  });
});
