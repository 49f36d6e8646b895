import type { Logger } from '@aws-lambda-powertools/logger';
import { APPROVAL_REQUEST_EXPIRED_ERROR, APPROVAL_REQUEST_TRANSIENT_ERROR } from '../../src/workflow/approval-error-names';
import type { RequestSettings } from '../../src/workflow/approval-request-settings';
import { pickSummaryFields } from '../../src/workflow/approval-summary';
import type { KeySource } from '../approval-shared/key-source';
import { approvalIdFor, decisionUrl, reviewLink, signLink } from '../approval-shared/links';
import type { ApprovalStore } from '../approval-shared/store';
import type { Sns } from '../shared/aws/sns';
import { HandlerError } from '../shared/errors';

/**
 * The error a task fails with. Anything not known to be permanent - AWS throttling, a
 * network error, an unreadable key - leaves the handler as `ApprovalRequestTransient`, which
 * the workflow retries (the request is idempotent); invalid input, configuration and an
 * expired request keep their own.
 */
export function asTaskError(err: unknown): Error {
  if (err instanceof HandlerError && !err.retryable) return err;
  const transient = new Error(`approval request failed transiently: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  transient.name = APPROVAL_REQUEST_TRANSIENT_ERROR;
  return transient;
}

/**
 * The approval expired before its link went out (a late retry, a skewed clock): a link
 * would only lead to "expired", so the task fails instead, under a name the workflow
 * routes to its `Expired` path.
 */
export class ApprovalRequestExpiredError extends HandlerError {
  constructor(expiresAt: number, enteredTime: string, timeoutSeconds: number) {
    super('APPROVAL_EXPIRED', `the approval request expired at ${new Date(expiresAt * 1000).toISOString()}, before its link could be sent ` +
      `(the state was entered at ${new Date(enteredTime).toISOString()}, approval timeout ${timeoutSeconds} s)`, false);
    this.name = APPROVAL_REQUEST_EXPIRED_ERROR;
  }
}

/** What the state machine's RequestApproval task sends (Payload of lambda:invoke.waitForTaskToken). */
export interface ApprovalRequestEvent {
  readonly taskToken: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly enteredTime: string;
  /** The execution state, sent only when the workflow names summary fields to pick from it. */
  readonly state?: unknown;
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

/**
 * What approvers read about the request: only the named fields of the state, as readable
 * JSON, the ones the state lacks listed after it; cut to `maxBytes` (UTF-8).
 */
export function renderSummary(state: unknown, fields: Readonly<Record<string, string>>, maxBytes: number): string {
  if (Object.keys(fields).length === 0) return '(no request details: the workflow names no summary fields)';
  const { values, missing } = pickSummaryFields(state, fields);
  const text = JSON.stringify(values, null, 2) + (missing.length > 0 ? `\n(not in the request: ${missing.join(', ')})` : '');
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
  if (expiresAt * 1000 <= deps.now()) throw new ApprovalRequestExpiredError(expiresAt, request.enteredTime, settings.timeoutSeconds);
  const summary = renderSummary(request.state, settings.summaryFields, settings.maxSummaryBytes);

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
    // The construct refuses http subscriptions; one added outside it still gets no link.
    Message: JSON.stringify({
      default: text, email: text, sqs: machine, lambda: machine, https: machine, http: plainHttpNotice(settings.workflowName),
    }),
  });
  await store.markNotified(approvalId, deps.now());
  deps.logger.info('approval requested', { approvalId, executionArn: request.executionArn, expiresAt: expiresIso, linkLength: link.length });
  return { approvalId, expiresAt: expiresIso, notified: true };
}

/** What a plain-HTTP subscriber gets instead of a link: the link is a credential, and HTTP would expose it. */
function plainHttpNotice(workflow: string): string {
  return JSON.stringify({ type: 'ApprovalRequested', workflow, error: 'approval links are not sent to plain-HTTP endpoints; subscribe an https endpoint' });
}
