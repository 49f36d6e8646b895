// The settings contract between the lab's integ test (which writes them) and its signed
// test client (lambda-src/examples/rds-integration/signed-client).
import type { SettingsReader } from '../../lambda-src/shared/config';

export const SIGNED_CLIENT_SETTINGS_VARIABLE = 'SIGNED_CLIENT_CONFIG';

export interface SignedClientSettings {
  /** The items API function URL the client signs requests for. */
  readonly url: string;
}

export function parseSignedClientSettings(config: SettingsReader<SignedClientSettings>): SignedClientSettings {
  const settings: SignedClientSettings = { url: config.string('url') };
  config.validate();
  return settings;
}
