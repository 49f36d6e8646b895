import { createItemsApi } from './items-api';
import { DB_QUERY_SETTINGS_VARIABLE, DbQuerySettingsDocument, parseDbQuerySettings } from '../../../../src/data/db-query-settings';
import { dbLogger, iamDatabase } from '../../../db-query/iam-database';
import { databaseMetricsRecorder } from '../../../db-query/invocation';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';

// The lab's items API behind a function URL with IAM auth. It connects through RDS Proxy as
// the application user with an IAM token; DB_QUERY_CONFIG is written by
// ProxiedDatabase.connectionEnvironment('<application user>').
const settings = parseDbQuerySettings(JsonConfig.fromEnvironment<DbQuerySettingsDocument>(DB_QUERY_SETTINGS_VARIABLE));

export const handler = createHandler('items-api', ({ logger, metrics }) => {
  const { db, credentials } = iamDatabase(settings, logger);
  const onInvocationEnd = databaseMetricsRecorder(db, metrics, () => credentials.mints);
  return createItemsApi({ db, logger: dbLogger(logger), queryTimeoutMs: settings.queryTimeoutMs, onInvocationEnd });
});
