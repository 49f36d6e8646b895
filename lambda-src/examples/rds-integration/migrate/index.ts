import { createSchemaMigration } from './schema-migration';
import { parseSchemaMigrationSettings, SCHEMA_MIGRATION_SETTINGS_VARIABLE, SchemaMigrationSettings } from '../../../../examples/rds-integration/schema-migration-settings';
import { DB_QUERY_SETTINGS_VARIABLE, DbQuerySettingsDocument, parseDbQuerySettings } from '../../../../src/data/db-query-settings';
import { dbLogger, iamDatabase } from '../../../db-query/iam-database';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';
import { secretPassword } from '../shared/secret-password';

// The onEvent handler of the lab's schema-migration custom resource (custom_resources.Provider).
// It connects through RDS Proxy as the master user with an IAM token. Settings:
// DB_QUERY_CONFIG (ProxiedDatabase.connectionEnvironment) and
// examples/rds-integration/schema-migration-settings.ts.
const settings = parseDbQuerySettings(JsonConfig.fromEnvironment<DbQuerySettingsDocument>(DB_QUERY_SETTINGS_VARIABLE));
const { applicationUser, applicationSecretArn } =
  parseSchemaMigrationSettings(JsonConfig.fromEnvironment<SchemaMigrationSettings>(SCHEMA_MIGRATION_SETTINGS_VARIABLE));

export const handler = createHandler('schema-migration', ({ logger }) => {
  const { db } = iamDatabase(settings, logger);
  return createSchemaMigration({ db, applicationUser, applicationPassword: secretPassword(applicationSecretArn), logger: dbLogger(logger) });
});
