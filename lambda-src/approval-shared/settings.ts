import { JsonConfig } from '../shared/config';

/** Settings of the request handler, written by the ApprovalWorkflow construct into APPROVAL_SETTINGS. */
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

/** Settings of the callback handler. */
export interface CallbackSettings {
  readonly tableName: string;
  readonly keySecretName: string;
  readonly workflowName: string;
  /** How long a started callback may take before another request may retry it. */
  readonly callbackLeaseMs: number;
}

export const SETTINGS_VARIABLE = 'APPROVAL_SETTINGS';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function requestSettings(env: NodeJS.ProcessEnv = process.env): RequestSettings {
  const c = JsonConfig.fromEnvironment(SETTINGS_VARIABLE, env);
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

export function callbackSettings(env: NodeJS.ProcessEnv = process.env): CallbackSettings {
  const c = JsonConfig.fromEnvironment(SETTINGS_VARIABLE, env);
  const settings: CallbackSettings = {
    tableName: c.string('tableName'),
    keySecretName: c.string('keySecretName'),
    workflowName: c.string('workflowName'),
    callbackLeaseMs: c.number('callbackLeaseMs', { min: 1000, max: 900_000, integer: true }, 30_000),
  };
  c.validate();
  return settings;
}
