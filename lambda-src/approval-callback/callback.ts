import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { PAGE_HEADERS, renderMessagePage, renderReviewPage } from './page';
import type { CallbackSettings } from '../../src/workflow/approval-callback-settings';
import { APPROVAL_REJECTED_ERROR } from '../../src/workflow/approval-error-names';
import type { KeySource } from '../approval-shared/key-source';
import { APPROVAL_ID_PATTERN, parseExpiry, verifyLink } from '../approval-shared/links';
import type { ApprovalRecord, ApprovalStore } from '../approval-shared/store';
import { isAwsError } from '../shared/aws/errors';
import type { StepFunctions } from '../shared/aws/step-functions';

const MAX_BODY_BYTES = 8192;
const MAX_COMMENT_CHARS = 1000;
/** Step Functions answers these when the task no longer waits (timed out, closed or unknown). */
const TASK_GONE = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'];

export type CallbackMetric = 'PagesServed' | 'ApprovalsApproved' | 'ApprovalsRejected' | 'InvalidLinks' | 'ExpiredLinks' |
'ReplayAttempts' | 'Conflicts' | 'CallbackErrors' | 'CallbacksTooLate' | 'BadRequests';

export interface CallbackDeps {
  readonly settings: CallbackSettings;
  readonly store: ApprovalStore;
  readonly sfn: StepFunctions;
  readonly keys: KeySource;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => number;
  readonly count: (metric: CallbackMetric) => void;
}

/** Function URL response: always a structured result (status, headers, HTML body). */
export type CallbackResponse = APIGatewayProxyStructuredResultV2;

class Reply {
  constructor(
    public readonly status: number,
    public readonly title: string,
    public readonly message: string,
    /** Sent as Retry-After: when trying again can help. */
    public readonly retryAfterSeconds?: number,
  ) {}
}

function page(status: number, html: string): CallbackResponse {
  return { statusCode: status, headers: PAGE_HEADERS, body: html };
}

function reply(r: Reply): CallbackResponse {
  const response = page(r.status, renderMessagePage(r.title, r.message));
  return r.retryAfterSeconds === undefined ? response : { ...response, headers: { ...PAGE_HEADERS, 'retry-after': String(r.retryAfterSeconds) } };
}

/**
 * Routes of the callback URL:
 *  GET  /approvals/{id}?e&s          review page; changes nothing
 *  POST /approvals/{id}/decision     body e, s, decision=approve|reject, comment
 * Every error is a 4xx/5xx page that echoes neither the signature nor the token.
 */
export async function handleCallback(event: LambdaFunctionURLEvent, deps: CallbackDeps): Promise<CallbackResponse> {
  // One clock reading per request: a callback lease is taken, compared and given back with
  // this very number, so a second reading can never make the release miss its own lease.
  const now = deps.now();
  try {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? '/';
    const review = /^\/approvals\/([^/]+)\/?$/.exec(path);
    const decide = /^\/approvals\/([^/]+)\/decision\/?$/.exec(path);
    if (review && (method === 'GET' || method === 'HEAD')) return await showReview(review[1], event, deps, now);
    if (decide && method === 'POST') return await postDecision(decide[1], event, deps, now);
    if (review || decide) return reply(new Reply(405, 'Method not allowed', review ? 'Open this page with GET.' : 'Send the decision with POST.'));
    return reply(new Reply(404, 'Not found', 'There is nothing here.'));
  } catch (err) {
    if (err instanceof Reply) return reply(err);
    deps.logger.error('callback failed', { error: { name: (err as Error)?.name, message: (err as Error)?.message } });
    deps.count('CallbackErrors');
    return reply(new Reply(500, 'Something went wrong', 'The request could not be processed; nothing was decided. Try again later.'));
  }
}

interface LinkParams {
  readonly approvalId: string;
  readonly expiresAt: number;
  readonly signature: string;
}

/** Check the id, the signature (403; only the canonical link text verifies), then the expiry (410). */
async function verify(approvalId: string, e: string | undefined, s: string | undefined, deps: CallbackDeps, now: number): Promise<LinkParams> {
  if (!APPROVAL_ID_PATTERN.test(approvalId)) {
    throw new Reply(404, 'Unknown approval', 'No approval request has this id.');
  }
  if (e === undefined || s === undefined || e === '' || s === '') {
    deps.count('BadRequests');
    throw new Reply(400, 'Incomplete link', 'The link is missing its expiry or signature. Use the complete link from the message.');
  }
  const expiresAt = parseExpiry(e);
  const key = await deps.keys.key();
  if (expiresAt === undefined || !verifyLink(key, approvalId, expiresAt, s)) {
    deps.count('InvalidLinks');
    deps.logger.warn('invalid link signature', { approvalId });
    throw new Reply(403, 'Invalid link', 'This link is not valid: it was altered or was not issued by this workflow.');
  }
  if (expiresAt * 1000 <= now) {
    deps.count('ExpiredLinks');
    throw new Reply(410, 'Link expired', 'This approval request has expired; the workflow no longer waits for a decision.');
  }
  return { approvalId, expiresAt, signature: s };
}

async function showReview(approvalId: string, event: LambdaFunctionURLEvent, deps: CallbackDeps, now: number): Promise<CallbackResponse> {
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const link = await verify(approvalId, query.get('e') ?? undefined, query.get('s') ?? undefined, deps, now);
  const record = await deps.store.get(approvalId);
  if (!record) throw new Reply(404, 'Unknown approval', 'No approval request has this id.');
  deps.count('PagesServed');
  return page(200, renderReviewPage({
    workflowName: deps.settings.workflowName,
    approvalId,
    status: record.status,
    summary: record.summary,
    expiresAt: link.expiresAt,
    signature: link.signature,
    decidedAt: record.decidedAt,
    comment: record.comment,
    callbackPending: record.callback === 'PENDING',
  }));
}

function parseBody(event: LambdaFunctionURLEvent): Record<string, string> {
  const raw = event.body === undefined || event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new Reply(413, 'Request too large', `The request body must not exceed ${MAX_BODY_BYTES} bytes.`);
  const contentType = (event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Reply(400, 'Malformed request', 'The body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Reply(400, 'Malformed request', 'The body must be a JSON object.');
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'string') fields[k] = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) fields[k] = String(v);
      else throw new Reply(400, 'Malformed request', `Field '${k.slice(0, 40)}' must be a string.`);
    }
    return fields;
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  throw new Reply(415, 'Unsupported content type', 'Send the decision as application/x-www-form-urlencoded or application/json.');
}

async function postDecision(approvalId: string, event: LambdaFunctionURLEvent, deps: CallbackDeps, now: number): Promise<CallbackResponse> {
  let body: Record<string, string>;
  try {
    body = parseBody(event);
  } catch (err) {
    deps.count('BadRequests');
    throw err;
  }
  const link = await verify(approvalId, body.e, body.s, deps, now);
  const decision = body.decision;
  if (decision !== 'approve' && decision !== 'reject') {
    deps.count('BadRequests');
    throw new Reply(400, 'Malformed request', "The decision must be 'approve' or 'reject'.");
  }
  const comment = body.comment ?? '';
  if (comment.length > MAX_COMMENT_CHARS) {
    deps.count('BadRequests');
    throw new Reply(400, 'Malformed request', `The comment must not exceed ${MAX_COMMENT_CHARS} characters.`);
  }

  const wanted = decision === 'approve' ? 'APPROVED' : 'REJECTED';
  const decided = await deps.store.decide(link.approvalId, wanted, comment, now);
  if (decided) {
    deps.count(wanted === 'APPROVED' ? 'ApprovalsApproved' : 'ApprovalsRejected');
    return sendCallback(decided, now, deps);
  }

  // Not decided by this request: find out why, without changing anything unless a stale callback needs a retry.
  const current = await deps.store.get(link.approvalId);
  if (!current) throw new Reply(404, 'Unknown approval', 'No approval request has this id.');
  if (current.status === 'EXPIRED' || (current.status === 'PENDING' && current.expiresAt * 1000 <= now)) {
    throw new Reply(410, 'Approval expired', 'This approval request has expired; the workflow no longer waits for a decision.');
  }
  if (current.status !== wanted) {
    deps.count('Conflicts');
    deps.logger.warn('conflicting decision', { approvalId, recorded: current.status, attempted: wanted });
    throw new Reply(409, 'Already decided', `This request was already ${current.status.toLowerCase()}; your ${decision} was not recorded.`);
  }
  deps.count('ReplayAttempts');
  if (current.callback === 'PENDING') return retryCallback(current, now, deps);
  return reply(new Reply(200, 'Already recorded', `This request was already ${current.status.toLowerCase()}. Nothing more to do.`));
}

/**
 * A repeated decision whose callback has not reached Step Functions yet: deliver it now,
 * unless another request holds the callback lease - then say the workflow has not
 * confirmed it and when trying again can take the callback over.
 */
async function retryCallback(record: ApprovalRecord, now: number, deps: CallbackDeps): Promise<CallbackResponse> {
  const leaseMs = deps.settings.callbackLeaseMs;
  const leasedAt = record.callbackAttemptAt ?? 0;
  if (await deps.store.claimCallback(record.approvalId, leasedAt, now, leaseMs)) {
    deps.logger.info('retrying a pending callback', { approvalId: record.approvalId });
    return sendCallback({ ...record, callbackAttemptAt: now }, now, deps);
  }
  // Held by an earlier request, or claimed just now by a concurrent one.
  const heldUntil = now - leasedAt < leaseMs ? leasedAt + leaseMs : now + leaseMs;
  const waitSeconds = Math.max(1, Math.ceil((heldUntil - now) / 1000));
  const what = record.status === 'APPROVED' ? 'approval' : 'rejection';
  throw new Reply(503, 'Not confirmed yet', `Your ${what} is recorded, but the workflow has not confirmed it yet: an earlier submission ` +
    `is notifying it. Submit the same decision again in ${waitSeconds} seconds to make sure it arrives.`, waitSeconds);
}

/**
 * Complete the waiting task: success for approval, failure (ApprovalRejected) for rejection.
 * `record.callbackAttemptAt` is the lease this request holds (taken at `now`).
 */
async function sendCallback(record: ApprovalRecord, now: number, deps: CallbackDeps): Promise<CallbackResponse> {
  const outcome = {
    decision: record.status,
    approvalId: record.approvalId,
    decidedAt: new Date(record.decidedAt ?? now).toISOString(),
    comment: record.comment ?? '',
  };
  try {
    if (record.status === 'APPROVED') {
      await deps.sfn.sendTaskSuccess({ taskToken: record.taskToken, output: JSON.stringify(outcome) });
    } else {
      await deps.sfn.sendTaskFailure({
        taskToken: record.taskToken,
        error: APPROVAL_REJECTED_ERROR,
        cause: JSON.stringify(outcome),
      });
    }
  } catch (err) {
    const name = (err as Error)?.name ?? 'Error';
    if (isAwsError(err, ...TASK_GONE)) {
      await deps.store.markExpired(record.approvalId);
      deps.count('CallbacksTooLate');
      deps.logger.warn('the workflow no longer waits for this approval', { approvalId: record.approvalId, executionArn: record.executionArn, error: name });
      throw new Reply(410, 'Approval expired', 'The workflow no longer waits for this decision (it timed out or was stopped).');
    }
    await deps.store.releaseCallback(record.approvalId, record.callbackAttemptAt ?? now);
    deps.count('CallbackErrors');
    deps.logger.error('callback to Step Functions failed; decision stored, retry possible', { approvalId: record.approvalId, error: name });
    throw new Reply(503, 'Try again', 'Your decision is stored, but the workflow could not be notified yet. Submit the same decision again in a moment.');
  }
  await deps.store.markCallbackSent(record.approvalId);
  deps.logger.info('decision recorded', {
    approvalId: record.approvalId,
    executionArn: record.executionArn,
    decision: record.status,
    callback: 'sent',
    latencyMs: deps.now() - now, // a second reading, for the log only
  });
  const verb = record.status === 'APPROVED' ? 'approved' : 'rejected';
  return reply(new Reply(200, `Request ${verb}`, `The request was ${verb}. The workflow has been notified.`));
}
