import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { passwordProvider } from '../../lambda-src/db-query/credentials';
import { Database } from '../../lambda-src/db-query/database';

/** Where the local MariaDB of `scripts/services.sh` listens (loopback, TLS on). */
export const MARIADB_HOST = '127.0.0.1';
export const MARIADB_PORT = Number(process.env.MARIADB_PORT ?? 33061);
/** The test CA that signed the server certificate (issued for IP 127.0.0.1). */
export const MARIADB_CA_FILE = path.join(__dirname, '..', '..', '.services', 'mariadb', 'tls', 'ca.pem');

const NOT_RUNNING = `MariaDB is not reachable on ${MARIADB_HOST}:${MARIADB_PORT}. ` +
  'Start it with `npx projen services:start` (or `bash scripts/services.sh start`); the test task does this first.';

/** The CA certificate of the local MariaDB; fails with how to start it when missing. */
export function mariaDbCa(): string {
  if (!existsSync(MARIADB_CA_FILE)) throw new Error(`${NOT_RUNNING} (missing ${MARIADB_CA_FILE})`);
  return readFileSync(MARIADB_CA_FILE, 'utf8');
}

/** A root connection over TLS; never skips: an unreachable server fails the test with instructions. */
export async function connectAsRoot(): Promise<Connection> {
  try {
    return await createConnection({ host: MARIADB_HOST, port: MARIADB_PORT, user: 'root', ssl: { ca: mariaDbCa() }, connectTimeout: 3000 });
  } catch (err) {
    throw new Error(`${NOT_RUNNING} Cause: ${(err as Error).message}`);
  }
}

/** A database and a user owning it, created for one test file and dropped afterwards. */
export interface TestDatabase {
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** The root connection used to set up, also handy for KILL and processlist checks. */
  readonly root: Connection;
  /** Client connections of the test user currently open on the server. */
  openConnections(): Promise<number[]>;
  drop(): Promise<void>;
}

/** Create a throwaway database and a TLS-only user with all privileges on it. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const root = await connectAsRoot();
  const suffix = randomBytes(4).toString('hex');
  const database = `${prefix}_${suffix}`.replace(/[^a-z0-9_]/gi, '_');
  const user = `u_${suffix}`;
  const password = randomBytes(12).toString('hex');
  await root.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await root.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}' REQUIRE SSL`);
  await root.query(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${user}'@'127.0.0.1'`);
  return {
    database,
    user,
    password,
    root,
    async openConnections() {
      const [rows] = await root.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
      return (rows as Array<{ id: number }>).map((r) => Number(r.id));
    },
    async drop() {
      await root.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await root.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
      await root.end();
    },
  };
}

/** A db-query runtime Database on the local MariaDB with a password (IAM tokens cannot be verified locally). */
export function localDatabase(options: { user: string; password: string; database: string; port?: number; connectTimeoutMs?: number }): Database {
  return new Database({
    host: MARIADB_HOST,
    port: options.port ?? MARIADB_PORT,
    user: options.user,
    database: options.database,
    credentials: passwordProvider(options.password),
    tls: { ca: mariaDbCa() },
    connectTimeoutMs: options.connectTimeoutMs,
  });
}
