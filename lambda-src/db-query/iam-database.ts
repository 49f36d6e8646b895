import type { Logger } from '@aws-lambda-powertools/logger';
import { iamTokenProvider, type IamTokenProvider } from './credentials';
import { Database, type DbLogger } from './database';
import type { DbQuerySettings } from '../../src/data/db-query-settings';
import { rdsTokenSigner } from '../shared/aws/rds-token';

/** A database reached through RDS Proxy with IAM authentication, and the provider of its tokens. */
export interface IamDatabase {
  readonly db: Database;
  readonly credentials: IamTokenProvider;
}

/** The runtime's logger shape on top of a Powertools Logger. */
export function dbLogger(logger: Logger): DbLogger {
  return {
    debug: (message, attributes) => logger.debug(message, attributes ?? {}),
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
  };
}

/**
 * The wiring every Lambda handler on the runtime shares: a Database for the settings
 * `ProxiedDatabase.connectionEnvironment()` wrote, authenticating with IAM tokens the
 * function's role signs locally (no AWS call) when a connection opens.
 */
export function iamDatabase(settings: DbQuerySettings, logger: Logger): IamDatabase {
  const { host, port, user } = settings;
  const credentials = iamTokenProvider({ mint: rdsTokenSigner({ hostname: host, port, username: user }) });
  const db = new Database({ ...settings, credentials, logger: dbLogger(logger) });
  return { db, credentials };
}
