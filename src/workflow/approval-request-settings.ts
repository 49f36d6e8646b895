// The settings contract between ApprovalWorkflow (which writes them) and the
// approval-request handler (which parses them at init). Dependency-free: the handler
// bundles this file.
import type { SettingsReader } from '../core/settings-reader';

/** The environment variable holding the settings, as one JSON object. */
export const APPROVAL_REQUEST_SETTINGS_VARIABLE = 'APPROVAL_SETTINGS';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** The request handler's settings, every default applied. */
export interface RequestSettings {
  readonly tableName: string;
  readonly topicArn: string;
  readonly callbackUrl: string;
  readonly keySecretName: string;
  readonly timeoutSeconds: number;
  readonly workflowName: string;
  readonly auditRetentionDays: number;
  readonly maxSummaryBytes: number;
}

/** The document the construct writes: the summary size has a default. */
export type RequestSettingsDocument = Omit<RequestSettings, 'maxSummaryBytes'> & Partial<Pick<RequestSettings, 'maxSummaryBytes'>>;

/** Read and check every setting; the reader reports all problems in one error. */
export function parseRequestSettings(c: SettingsReader<RequestSettingsDocument>): RequestSettings {
  const settings: RequestSettings = {
    tableName: c.string('tableName'),
    topicArn: c.string('topicArn'),
    callbackUrl: c.string('callbackUrl'),
    keySecretName: c.string('keySecretName'),
    timeoutSeconds: c.number('timeoutSeconds', { min: 60, max: ONE_YEAR_SECONDS, integer: true }),
    workflowName: c.string('workflowName'),
    auditRetentionDays: c.number('auditRetentionDays', { min: 0, max: 3650, integer: true }, 90),
    maxSummaryBytes: c.number('maxSummaryBytes', { min: 256, max: 65_536, integer: true }, 4096),
  };
  c.validate();
  return settings;
}
