import type { QueryOptions, Queryable } from '../../../db-query/database';
import { HandlerError } from '../../../shared/errors';

/**
 * One schema change. It runs once and is recorded in `schema_migrations`; each step is
 * idempotent on its own as well, because MySQL commits DDL implicitly: a migration cut off
 * halfway cannot be rolled back, so running it again must finish it instead of failing.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  apply(db: Queryable, options: QueryOptions): Promise<void>;
}

const CREATE_MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (' +
  'version INT UNSIGNED NOT NULL PRIMARY KEY, ' +
  'name VARCHAR(200) NOT NULL, ' +
  'applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)' +
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

// utf8mb4_unicode_ci: MySQL 8.4 and the MariaDB the tests run on both know it.
const CREATE_ITEMS_TABLE = 'CREATE TABLE IF NOT EXISTS items (' +
  'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, ' +
  'name VARCHAR(100) NOT NULL, ' +
  'description VARCHAR(1000) NOT NULL DEFAULT \'\', ' +
  'quantity INT UNSIGNED NOT NULL DEFAULT 0, ' +
  'version INT UNSIGNED NOT NULL DEFAULT 1, ' +
  'created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
  'updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)' +
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** MySQL 8.4 has no CREATE INDEX IF NOT EXISTS: look the index up first. */
function createIndexIfMissing(table: string, index: string, columns: string): Migration['apply'] {
  return async (db, options) => {
    const { rows } = await db.query<{ present: number }>(
      'SELECT COUNT(*) AS present FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?',
      [table, index], options);
    if (Number(rows[0]?.present ?? 0) === 0) await db.query(`CREATE INDEX ${index} ON ${table} (${columns})`, undefined, options);
  };
}

/** The lab's schema, oldest first. Append new migrations; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'create items', apply: async (db, options) => void await db.query(CREATE_ITEMS_TABLE, undefined, options) },
  { version: 2, name: 'index items by name', apply: createIndexIfMissing('items', 'items_name', 'name') },
];

/** The version the schema has once every migration ran. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** What one run of the migrations did. */
export interface MigrationOutcome {
  /** Versions applied by this run, oldest first (empty when the schema was current). */
  readonly applied: number[];
  readonly schemaVersion: number;
}

/** Apply every migration not yet recorded in `schema_migrations`, in order. */
export async function applyMigrations(
  db: Queryable, options: QueryOptions, migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationOutcome> {
  await db.query(CREATE_MIGRATIONS_TABLE, undefined, options);
  const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations', undefined, options);
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await migration.apply(db, options);
    await db.query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [migration.version, migration.name], options);
    applied.push(migration.version);
  }
  return { applied, schemaVersion: Math.max(0, ...done, ...applied) };
}

/** A MySQL user name the lab accepts: what RDS Proxy and IAM policies can name. */
const USER_NAME = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Create the application's database user (if missing) with the password of its secret, and
 * grant it exactly what the items API does: read and write rows of `items`, nothing else.
 * The password is set only when the user is created: afterwards the secret's rotation owns it.
 */
export async function ensureApplicationUser(db: Queryable, user: string, password: string, options: QueryOptions): Promise<void> {
  if (!USER_NAME.test(user)) {
    throw new HandlerError('INVALID_CONFIGURATION', `the application user must be a lower-case MySQL user name (a letter, then letters, digits or _), got ${JSON.stringify(user)}`);
  }
  if (typeof password !== 'string' || password.length < 8) {
    throw new HandlerError('INVALID_CONFIGURATION', 'the application user\'s secret must hold a password of at least 8 characters');
  }
  await db.query('CREATE USER IF NOT EXISTS ?@\'%\' IDENTIFIED BY ?', [user, password], options);
  await db.query('GRANT SELECT, INSERT, UPDATE, DELETE ON items TO ?@\'%\'', [user], options);
}
