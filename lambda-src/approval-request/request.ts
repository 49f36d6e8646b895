import type { Logger } from '@aws-lambda-powertools/logger';
import type { RequestSettings } from '../../src/workflow/approval-request-settings';
import type { KeySource } from '../approval-shared/key-source';
import { approvalIdFor, decisionUrl, reviewLink, signLink } from '../approval-shared/links';
import type { ApprovalStore } from '../approval-shared/store';
import type { Sns } from '../shared/aws/sns';
import { HandlerError } from '../shared/errors';

/**
 * The error name the workflow retries (the request is idempotent, so a retry is safe).
 * Anything not known to be permanent - AWS throttling, a network error, an unreadable key -
 * leaves the handler under this name; invalid input and configuration keep their own.
 */
export const TRANSIENT_ERROR = 'ApprovalRequestTransient';

export function asTaskError(err: unknown): Error {
  if (err instanceof HandlerError && !err.retryable) return err;
  const transient = new Error(`approval request failed transiently: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  transient.name = TRANSIENT_ERROR;
  return transient;
}

/** What the state machine's RequestApproval task sends (Payload of lambda:invoke.waitForTaskToken). */
export interface ApprovalRequestEvent {
  readonly taskToken: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly enteredTime: string;
  readonly summary?: unknown;
}

export interface ApprovalRequestResult {
  readonly approvalId: string;
  readonly expiresAt: string;
  /** false when a retried request found the approval already announced */
  readonly notified: boolean;
}

export interface RequestDeps {
  readonly settings: RequestSettings;
  readonly store: ApprovalStore;
  readonly sns: Sns;
  readonly keys: KeySource;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly now: () => number;
}

/** Reject a malformed event before anything is stored: the task fails with INVALID_REQUEST. */
export function parseRequest(event: unknown): ApprovalRequestEvent {
  const problems: string[] = [];
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const str = (key: string, max: number) => {
    const v = e[key];
    if (typeof v !== 'string' || v.length === 0 || v.length > max) problems.push(`${key} must be a string of 1 to ${max} characters`);
  };
  str('taskToken', 8192);
  str('executionArn', 2048);
  str('stateName', 80);
  str('enteredTime', 64);
  if (typeof e.enteredTime === 'string' && Number.isNaN(Date.parse(e.enteredTime))) problems.push('enteredTime must be an ISO-8601 timestamp');
  if (problems.length > 0) throw new HandlerError('INVALID_REQUEST', `invalid approval request: ${problems.join('; ')}`);
  return e as unknown as ApprovalRequestEvent;
}

/** The request summary as readable JSON, cut to `maxBytes` (UTF-8). */
export function renderSummary(summary: unknown, maxBytes: number): string {
  const text = summary === undefined ? '(no summary)' : JSON.stringify(summary, null, 2) ?? String(summary);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return `${bytes.subarray(0, maxBytes - 16).toString('utf8').replace(/\uFFFD+$/, '')}\n…(truncated)`;
}

/**
 * Store the approval (token server-side, idempotent per state visit) and announce it on
 * the topic with a signed review link. The task keeps waiting: only the callback completes it.
 */
export async function requestApproval(event: unknown, deps: RequestDeps): Promise<ApprovalRequestResult> {
  const request = parseRequest(event);
  const { settings, store } = deps;
  const key = await deps.keys.key();
  const approvalId = approvalIdFor(key, request.executionArn, request.stateName, request.enteredTime);
  const expiresAt = Math.floor(Date.parse(request.enteredTime) / 1000) + settings.timeoutSeconds;
  const summary = renderSummary(request.summary, settings.maxSummaryBytes);

  const created = await store.create({
    approvalId,
    taskToken: request.taskToken,
    executionArn: request.executionArn,
    stateName: request.stateName,
    expiresAt,
    createdAt: deps.now(),
    summary,
    ttl: expiresAt + settings.auditRetentionDays * 86_400,
  });
  if (!created) {
    const existing = await store.get(approvalId);
    if (existing?.status === 'PENDING') await store.refreshToken(approvalId, request.taskToken);
    if (existing?.notifiedAt !== undefined || existing?.status !== 'PENDING') {
      deps.logger.info('approval already requested', { approvalId, executionArn: request.executionArn, status: existing?.status });
      return { approvalId, expiresAt: new Date(expiresAt * 1000).toISOString(), notified: false };
    }
  }

  const signature = signLink(key, approvalId, expiresAt);
  const link = reviewLink(settings.callbackUrl, approvalId, expiresAt, signature);
  const expiresIso = new Date(expiresAt * 1000).toISOString();
  const executionName = request.executionArn.split(':').pop() ?? request.executionArn;
  const text = [
    `The workflow "${settings.workflowName}" is waiting for a decision.`,
    '',
    `Execution: ${executionName}`,
    `Decide by: ${expiresIso} (afterwards the request expires)`,
    '',
    'Request:',
    summary,
    '',
    'Review it and approve or reject here (opening the link decides nothing):',
    link,
  ].join('\n');
  // Machine subscribers (SQS, Lambda, HTTPS) get the same facts as JSON.
  const machine = JSON.stringify({
    type: 'ApprovalRequested',
    workflow: settings.workflowName,
    approvalId,
    execution: executionName,
    expiresAt: expiresIso,
    reviewUrl: link,
    decisionUrl: decisionUrl(settings.callbackUrl, approvalId),
    e: expiresAt,
    s: signature,
  });
  await deps.sns.publish({
    TopicArn: settings.topicArn,
    Subject: `Approval requested: ${settings.workflowName}`.replace(/[^\x20-\x7E]/g, ' ').slice(0, 100),
    MessageStructure: 'json',
    Message: JSON.stringify({ default: text, email: text, sqs: machine, lambda: machine, https: machine, http: machine }),
  });
  await store.markNotified(approvalId, deps.now());
  deps.logger.info('approval requested', { approvalId, executionArn: request.executionArn, expiresAt: expiresIso, linkLength: link.length });
  return { approvalId, expiresAt: expiresIso, notified: true };
}
