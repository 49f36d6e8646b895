// The settings contract between ApprovalCallbackApi (which writes them) and the
// approval-callback handler (which parses them at init). Dependency-free: the handler
// bundles this file.
import type { SettingsReader } from '../core/settings-reader';

/** The environment variable holding the settings, as one JSON object. */
export const APPROVAL_CALLBACK_SETTINGS_VARIABLE = 'APPROVAL_SETTINGS';

/** The callback handler's settings, every default applied. */
export interface CallbackSettings {
  readonly tableName: string;
  readonly keySecretName: string;
  readonly workflowName: string;
  /** How long a started callback may take before another request may retry it. */
  readonly callbackLeaseMs: number;
}

/** The document the construct writes: the lease has a default. */
export type CallbackSettingsDocument = Omit<CallbackSettings, 'callbackLeaseMs'> & Partial<Pick<CallbackSettings, 'callbackLeaseMs'>>;

/** Read and check every setting; the reader reports all problems in one error. */
export function parseCallbackSettings(c: SettingsReader<CallbackSettingsDocument>): CallbackSettings {
  const settings: CallbackSettings = {
    tableName: c.string('tableName'),
    keySecretName: c.string('keySecretName'),
    workflowName: c.string('workflowName'),
    callbackLeaseMs: c.number('callbackLeaseMs', { min: 1000, max: 900_000, integer: true }, 30_000),
  };
  c.validate();
  return settings;
}
