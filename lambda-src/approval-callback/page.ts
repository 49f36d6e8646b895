// HTML of the review and result pages. Everything interpolated is escaped; the page needs
// no script, loads nothing and may not be framed.
import { decisionPath } from '../approval-shared/links';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The link carries its signature in the query string: never hand it on as a referrer.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function layout(title: string, body: string): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;' +
    'overflow:auto;white-space:pre-wrap}button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}textarea{width:100%}</style>' +
    `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export interface ReviewPage {
  readonly workflowName: string;
  readonly approvalId: string;
  readonly status: string;
  readonly summary: string;
  readonly expiresAt: number;
  readonly signature: string;
  readonly decidedAt?: number;
  readonly comment?: string;
  /** Decided, but Step Functions has not accepted the callback yet. */
  readonly callbackPending?: boolean;
}

/**
 * The GET page: the request and, while pending, a form that POSTs the decision; once
 * decided but not yet confirmed by the workflow, a form that sends the same decision again.
 */
export function renderReviewPage(page: ReviewPage): string {
  const facts = `<p>Workflow: <strong>${escapeHtml(page.workflowName)}</strong><br>` +
    `Decide by: ${new Date(page.expiresAt * 1000).toISOString()}<br>Status: <strong>${escapeHtml(page.status)}</strong></p>` +
    `<pre>${escapeHtml(page.summary)}</pre>`;
  // Absolute: a page opened as /approvals/<id>/ must not post to /approvals/<id>/<id>/decision.
  const form = (fields: string) => `<form method="post" action="${escapeHtml(decisionPath(page.approvalId))}">` +
    `<input type="hidden" name="e" value="${page.expiresAt}"><input type="hidden" name="s" value="${escapeHtml(page.signature)}">${fields}</form>`;
  if (page.status === 'PENDING') {
    return layout('Approval request', `${facts}<p>Opening this page decided nothing. Choose:</p>${form(
      '<p><label>Comment (optional)<br><textarea name="comment" rows="3" maxlength="1000"></textarea></label></p>' +
      '<button type="submit" name="decision" value="approve">Approve</button>' +
      '<button type="submit" name="decision" value="reject">Reject</button>')}`);
  }
  const decided = `This request was ${escapeHtml(page.status.toLowerCase())}${page.decidedAt ? ` on ${new Date(page.decidedAt).toISOString()}` : ''}`;
  if (page.callbackPending && (page.status === 'APPROVED' || page.status === 'REJECTED')) {
    const decision = page.status === 'APPROVED' ? 'approve' : 'reject';
    return layout('Approval request', `${facts}<p>${decided}, but the workflow has not confirmed it yet.</p>${form(
      `<button type="submit" name="decision" value="${decision}">Notify the workflow again</button>`)}`);
  }
  return layout('Approval request', `${facts}<p>${decided}. Nothing more to do.</p>`);
}

/** A result or error page. */
export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>`);
}
