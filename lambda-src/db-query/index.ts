import { iamTokenProvider } from './credentials';
import { Database, type DbLogger } from './database';
import { createNotesHandler } from './notes';
import { rdsTokenSigner } from '../shared/aws/rds-token';
import { JsonConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { createMetrics } from '../shared/metrics';

// Example data-access handler behind RDS Proxy with IAM authentication. Settings come
// from DB_QUERY_CONFIG (written by ProxiedDatabase.connectionEnvironment()); the
// connection opens on the first invocation and is reused by every later one.
const config = JsonConfig.fromEnvironment('DB_QUERY_CONFIG');
const host = config.string('host');
const port = config.number('port', { min: 1, max: 65535, integer: true }, 3306);
const user = config.string('user');
const database = config.string('database');
const staleAfterMs = config.number('staleAfterMs', { min: 1000, max: 3_600_000, integer: true }, 300_000);
const queryTimeoutMs = config.number('queryTimeoutMs', { min: 100, max: 900_000, integer: true }, 10_000);
config.validate();

const logger = createLogger('db-query');
const metrics = createMetrics('db-query');
const credentials = iamTokenProvider({ mint: rdsTokenSigner({ hostname: host, port, username: user }) });
const dbLogger: DbLogger = {
  debug: (message, attributes) => logger.debug(message, attributes ?? {}),
  info: (message, attributes) => logger.info(message, attributes ?? {}),
  warn: (message, attributes) => logger.warn(message, attributes ?? {}),
  error: (message, attributes) => logger.error(message, attributes ?? {}),
};
const db = new Database({ host, port, user, database, credentials, staleAfterMs, queryTimeoutMs, logger: dbLogger });

export const handler = createNotesHandler({ db, logger: dbLogger, metrics, queryTimeoutMs, tokenMints: () => credentials.mints });
