// HTML of the review and result pages. Everything interpolated is escaped; the page needs
// no script, loads nothing and may not be framed.

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
}

/** The GET page: the request and, while pending, a form that POSTs the decision. */
export function renderReviewPage(page: ReviewPage): string {
  const facts = `<p>Workflow: <strong>${escapeHtml(page.workflowName)}</strong><br>` +
    `Decide by: ${new Date(page.expiresAt * 1000).toISOString()}<br>Status: <strong>${escapeHtml(page.status)}</strong></p>` +
    `<pre>${escapeHtml(page.summary)}</pre>`;
  if (page.status !== 'PENDING') {
    const decided = page.decidedAt ? ` on ${new Date(page.decidedAt).toISOString()}` : '';
    return layout('Approval request', `${facts}<p>This request was ${escapeHtml(page.status.toLowerCase())}${decided}. Nothing more to do.</p>`);
  }
  const form = `<form method="post" action="${escapeHtml(page.approvalId)}/decision">` +
    `<input type="hidden" name="e" value="${page.expiresAt}"><input type="hidden" name="s" value="${escapeHtml(page.signature)}">` +
    '<p><label>Comment (optional)<br><textarea name="comment" rows="3" maxlength="1000"></textarea></label></p>' +
    '<button type="submit" name="decision" value="approve">Approve</button>' +
    '<button type="submit" name="decision" value="reject">Reject</button></form>';
  return layout('Approval request', `${facts}<p>Opening this page decided nothing. Choose:</p>${form}`);
}

/** A result or error page. */
export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>`);
}
