import { passwordProvider } from '../../lambda-src/db-query/credentials';
import { Database, type DatabaseOptions } from '../../lambda-src/db-query/database';
import { MARIADB_HOST, MARIADB_PORT, mariaDbCa, type TestDatabase } from '../helpers/mariadb';

/**
 * The data-access runtime connected as the test user to the local MariaDB over verified
 * TLS. Authentication uses a password provider: IAM tokens cannot be verified locally (the
 * token path is covered by db-query-credentials.test.ts).
 */
export function testRuntime(testDb: TestDatabase, overrides: Partial<DatabaseOptions> = {}): Database {
  return new Database({
    host: MARIADB_HOST,
    port: MARIADB_PORT,
    user: testDb.user,
    database: testDb.database,
    credentials: passwordProvider(testDb.password),
    tls: { ca: mariaDbCa() },
    ...overrides,
  });
}
