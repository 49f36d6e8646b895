export { ProxiedDatabase } from './proxied-database';
export type {
  DatabaseAlarmThresholds, DatabaseBackupOptions, DatabaseCredentialOptions, DatabaseMonitoringOptions, DatabaseProxyOptions,
  DatabaseStorageOptions, ProxiedDatabaseProps,
} from './proxied-database-props';
