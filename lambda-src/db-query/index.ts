import { secretReferenceReader } from './application-user';
import { iamDatabase, dbLogger } from './iam-database';
import { createNotesHandler } from './notes';
import { DB_QUERY_SETTINGS_VARIABLE, DbQuerySettingsDocument, parseDbQuerySettings } from '../../src/data/db-query-settings';
import { ssm } from '../shared/aws/ssm';
import { JsonConfig } from '../shared/config';
import { createHandler } from '../shared/handler';

// Example data-access handler behind RDS Proxy with IAM authentication. Settings come
// from DB_QUERY_CONFIG (written by ProxiedDatabase.connectionEnvironment()); the
// connection opens on the first invocation and is reused by every later one.
const settings = parseDbQuerySettings(JsonConfig.fromEnvironment<DbQuerySettingsDocument>(DB_QUERY_SETTINGS_VARIABLE));

export const handler = createHandler('db-query', ({ logger, metrics }) => {
  const { db, credentials } = iamDatabase(settings, logger);
  // Only setup with an application user reads a secret (the client connects at its first call).
  const parameters = ssm();
  const readSecret = secretReferenceReader(async (name) => (await parameters.getParameter({ Name: name, WithDecryption: true })).Parameter?.Value);
  return createNotesHandler({
    db,
    logger: dbLogger(logger),
    metrics,
    queryTimeoutMs: settings.queryTimeoutMs,
    tokenMints: () => credentials.mints,
    database: settings.database,
    readSecret,
  });
});
