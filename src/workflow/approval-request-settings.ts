// The settings contract between ApprovalWorkflow (which writes them) and the
// approval-request handler (which parses them at init). Dependency-free: the handler
// bundles this file.
import { summaryFieldProblems } from './approval-summary';
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
  /** The fields of the state approvers see: label → JSONPath reference path (none by default). */
  readonly summaryFields: Readonly<Record<string, string>>;
}

/** The document the construct writes: the summary size and fields have defaults. */
export type RequestSettingsDocument = Omit<RequestSettings, 'maxSummaryBytes' | 'summaryFields'> &
Partial<Pick<RequestSettings, 'maxSummaryBytes' | 'summaryFields'>>;

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
    summaryFields: (c.raw('summaryFields') ?? {}) as Record<string, string>,
  };
  for (const p of summaryFieldProblems(settings.summaryFields)) c.fail(`${p.field} ${p.requirement}, got ${JSON.stringify(p.value)}`);
  c.validate();
  return settings;
}
