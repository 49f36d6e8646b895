import { createSchemaMigration } from './schema-migration';
import { DB_QUERY_SETTINGS_VARIABLE, DbQuerySettingsDocument, parseDbQuerySettings } from '../../../../src/data/db-query-settings';
import { dbLogger, iamDatabase } from '../../../db-query/iam-database';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';
import { secretPassword } from '../shared/secret-password';

// The onEvent handler of the lab's schema-migration custom resource (custom_resources.Provider).
// It connects through RDS Proxy as the master user with an IAM token. Settings:
//   DB_QUERY_CONFIG         written by ProxiedDatabase.connectionEnvironment(masterUsername)
//   SCHEMA_MIGRATION_CONFIG {"applicationUser":"<name>","applicationSecretArn":"<arn>"}
interface SchemaMigrationConfig {
  applicationUser: string;
  applicationSecretArn: string;
}
const settings = parseDbQuerySettings(JsonConfig.fromEnvironment<DbQuerySettingsDocument>(DB_QUERY_SETTINGS_VARIABLE));
const config = JsonConfig.fromEnvironment<SchemaMigrationConfig>('SCHEMA_MIGRATION_CONFIG');
const applicationUser = config.string('applicationUser');
const applicationSecretArn = config.string('applicationSecretArn');
config.validate();

export const handler = createHandler('schema-migration', ({ logger }) => {
  const { db } = iamDatabase(settings, logger);
  return createSchemaMigration({ db, applicationUser, applicationPassword: secretPassword(applicationSecretArn), logger: dbLogger(logger) });
});
