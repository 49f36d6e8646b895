import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { invokeBundleScript, runNode } from '../helpers/bundle-process';
import { createTestDatabase, MARIADB_CA_FILE, MARIADB_PORT, type TestDatabase } from '../helpers/mariadb';

// The shipped bundle (assets/db-query/index.js) and the trimmed mysql2 inside it, run in
// child processes so each starts cold with its own environment, like a Lambda INIT.
const BUNDLE = path.join(ASSETS_DIR, 'db-query', 'index.js');
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase('dbqb');
});
afterAll(async () => {
  await testDb?.drop();
});

const INVOKE = (event: object) => invokeBundleScript(BUNDLE, event);

describe('db-query bundle', () => {
  test('stays within 400 KB with the AWS SDK external', () => {
    expect(statSync(BUNDLE).size).toBeLessThanOrEqual(400 * 1024);
  });

  test('fails at init with a message naming DB_QUERY_CONFIG when it is missing', () => {
    const { stdout, stderr } = runNode(['-e', INVOKE({ action: 'setup' })], {});
    expect(stdout + stderr).toMatch(/environment variable DB_QUERY_CONFIG is not set/);
  });

  test('fails at init naming every invalid setting', () => {
    const { stdout, stderr } = runNode(['-e', INVOKE({ action: 'setup' })], { DB_QUERY_CONFIG: JSON.stringify({ host: '', port: 0, user: 'u', database: 'd' }) });
    expect(stdout + stderr).toMatch(/invalid settings in DB_QUERY_CONFIG: host must be a non-empty string.*port must be an integer between 1 and 65535/);
  });

  test('refuses a hostile application user name in setup before it connects or reads any secret', () => {
    const { stdout, stderr } = runNode(['-e', INVOKE({ action: 'setup', applicationUser: { name: "app'; DROP USER root; --", secretName: 'orders/app' } })], {
      DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: MARIADB_PORT, user: testDb.user, database: testDb.database }),
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'db-query',
    });
    const output = stdout + stderr;
    expect(output).toMatch(/ERROR .*"code":"INVALID_REQUEST".*applicationUser\.name\\" must be a MySQL user name/);
    expect(output).not.toContain('database connected');
  });

  test('mints one IAM token when it connects over verified TLS and reports the refusal as DB_AUTH_FAILED without logging the token', () => {
    const { stdout, stderr } = runNode(['-e', INVOKE({ action: 'get', id: 1 })], {
      DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: MARIADB_PORT, user: testDb.user, database: testDb.database }),
      NODE_EXTRA_CA_CERTS: MARIADB_CA_FILE,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_LAMBDA_FUNCTION_NAME: 'db-query',
    });
    const output = stdout + stderr;
    expect(output).toMatch(/ERROR .*"code":"DB_AUTH_FAILED"/);
    expect(output).toContain('"IamTokenMints":1');
    expect(output).not.toMatch(/X-Amz-Signature|Action=connect/);
  });

  test('rejects an invalid event with a clear error before touching the database', () => {
    const { stdout } = runNode(['-e', INVOKE({ action: 'put', body: '' })], {
      DB_QUERY_CONFIG: JSON.stringify({ host: '127.0.0.1', port: 1, user: 'u', database: 'd' }),
      AWS_REGION: 'eu-west-1',
    });
    expect(stdout).toMatch(/ERROR .*"code":"INVALID_REQUEST".*body\\" must be a string of 1 to 1000 characters/);
  });

  test('the trimmed mysql2 in the bundle reads and writes utf8mb4 and latin1 columns and keeps error codes', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'dbq-bundle-'));
    const { status, stdout, stderr } = runNode([path.join(__dirname, 'fixtures', 'db-query-bundled-crud.mjs'), outdir], {
      DBQ_PORT: String(MARIADB_PORT), DBQ_USER: testDb.user, DBQ_PASSWORD: testDb.password, DBQ_DATABASE: testDb.database, DBQ_CA: MARIADB_CA_FILE,
    });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      row: { id: 1, body: 'ünïcødé 🦀 \' " ; --' },
      duplicate: { code: 'ER_DUP_ENTRY', errno: 1062 },
      missingTable: { code: 'ER_NO_SUCH_TABLE', errno: 1146 },
      latin1: { legacy: 'abc' },
      connects: 1,
    });
    expect(readFileSync(path.join(outdir, 'runtime.js'), 'utf8')).not.toContain('ER_WRONG_VALUE_FOR_VAR');
  });
});
