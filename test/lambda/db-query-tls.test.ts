import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { testRuntime } from './db-query-harness';
import type { Database } from '../../lambda-src/db-query/database';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { createTestDatabase, MARIADB_PORT, mariaDbCa, type TestDatabase } from '../helpers/mariadb';
import { issueCertificates, startTlsImpostor, type TestCertificates, type TlsImpostor } from '../helpers/tls-impostor';

// Whose certificate the data-access runtime accepts. The IAM token (or password) goes out
// right after the TLS handshake, so a server with a certificate from a trusted CA but for
// another name must be refused before anything is sent. Connections are made by host
// name (localhost), so the name check is really exercised.
let testDb: TestDatabase;
let certificates: TestCertificates;
let impostor: TlsImpostor;
let genuine: TlsImpostor;
const opened: Database[] = [];

function database(port: number, ca: string, host = 'localhost'): Database {
  const db = testRuntime(testDb, { host, port, tls: { ca }, connectTimeoutMs: 2000 });
  opened.push(db);
  return db;
}

beforeAll(async () => {
  testDb = await createTestDatabase('dbqtls');
  certificates = issueCertificates({ other: 'DNS:db.other.example', named: 'DNS:localhost,IP:127.0.0.1' });
  impostor = await startTlsImpostor(certificates.servers.other);
  genuine = await startTlsImpostor(certificates.servers.named);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(async () => {
  await Promise.all([impostor?.stop(), genuine?.stop()]);
  await testDb?.drop();
});

describe('db-query server identity', () => {
  test('a server whose CA-valid certificate names another host is refused before the credentials are sent', async () => {
    const err = await database(impostor.port, certificates.ca).read('SELECT 1').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DB_CONNECT_FAILED', retryable: false });
    expect((err as Error).message).toContain('refused the TLS certificate of localhost:');
    expect((err as Error).message).toMatch(/not in the cert's altnames: DNS:db.other.example/);
    expect(impostor.plaintextBytes()).toBe(0);
  });

  test('the same relay with a certificate that names the host is accepted, by name and by IP', async () => {
    expect((await database(genuine.port, certificates.ca).read<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect((await database(genuine.port, certificates.ca, '127.0.0.1').read<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(genuine.plaintextBytes()).toBeGreaterThan(0);
  });

  test('the local MariaDB, whose certificate names localhost, is accepted by name', async () => {
    expect((await database(MARIADB_PORT, mariaDbCa()).read<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  test('the shipped bundle refuses the impostor too, and never sends it the IAM token', async () => {
    const bundle = path.join(ASSETS_DIR, 'db-query', 'index.js');
    const script = `require(${JSON.stringify(bundle)}).handler({ action: 'get', id: 1 }).then(
      (r) => console.log('RESULT ' + JSON.stringify(r)),
      (e) => console.log('ERROR ' + JSON.stringify({ code: e.code, message: e.message })));`;
    const dir = mkdtempSync(path.join(tmpdir(), 'dbq-tls-'));
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, certificates.ca);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
        cwd: path.join(__dirname, '..', '..'),
        timeout: 20_000,
        env: {
          PATH: process.env.PATH ?? '',
          DB_QUERY_CONFIG: JSON.stringify({ host: 'localhost', port: impostor.port, user: testDb.user, database: testDb.database }),
          NODE_EXTRA_CA_CERTS: caFile,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
          AWS_LAMBDA_FUNCTION_NAME: 'db-query',
        },
      });
      expect(stdout).toMatch(/ERROR .*"code":"DB_CONNECT_FAILED"/);
      expect(impostor.plaintextBytes()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
