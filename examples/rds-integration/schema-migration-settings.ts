// The settings contract between the lab stack (which writes them) and the schema-migration
// function (lambda-src/examples/rds-integration/migrate, which parses them at init).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const SCHEMA_MIGRATION_SETTINGS_VARIABLE = 'SCHEMA_MIGRATION_CONFIG';

export interface SchemaMigrationSettings {
  /** The MySQL user the migration creates for the application. */
  readonly applicationUser: string;
  /** ARN of that user's secret: the migration sets the password from it when it creates the user. */
  readonly applicationSecretArn: string;
}

export function parseSchemaMigrationSettings(config: SettingsReader<SchemaMigrationSettings>): SchemaMigrationSettings {
  const settings: SchemaMigrationSettings = {
    applicationUser: config.string('applicationUser'),
    applicationSecretArn: config.string('applicationSecretArn'),
  };
  config.validate();
  return settings;
}
