// The settings contract between ProxiedDatabase.connectionEnvironment() (which writes them)
// and the db-query runtime (which parses them at init). Dependency-free: the handler
// bundles this file.
import type { SettingsReader } from '../core/settings-reader';

/** The environment variable holding the settings, as one JSON object. */
export const DB_QUERY_SETTINGS_VARIABLE = 'DB_QUERY_CONFIG';

/** The runtime's settings, every default applied. */
export interface DbQuerySettings {
  /** The proxy endpoint. */
  readonly host: string;
  readonly port: number;
  /** The database user the IAM token is minted for. */
  readonly user: string;
  readonly database: string;
  /** A pooled connection idle for longer is checked before use (below the proxy's idle client timeout). */
  readonly staleAfterMs: number;
  /** Upper bound of each statement. */
  readonly queryTimeoutMs: number;
}

/** The document the construct writes: the connection is required, the timings have defaults. */
export type DbQuerySettingsDocument = Pick<DbQuerySettings, 'host' | 'user' | 'database'> & Partial<DbQuerySettings>;

/** Read and check every setting; the reader reports all problems in one error. */
export function parseDbQuerySettings(config: SettingsReader<DbQuerySettingsDocument>): DbQuerySettings {
  const settings: DbQuerySettings = {
    host: config.string('host'),
    port: config.number('port', { min: 1, max: 65535, integer: true }, 3306),
    user: config.string('user'),
    database: config.string('database'),
    staleAfterMs: config.number('staleAfterMs', { min: 1000, max: 3_600_000, integer: true }, 300_000),
    queryTimeoutMs: config.number('queryTimeoutMs', { min: 100, max: 900_000, integer: true }, 10_000),
  };
  config.validate();
  return settings;
}
