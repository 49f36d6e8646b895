import { createHmac, timingSafeEqual } from 'node:crypto';

// Approval links carry an approval id, an expiry and an HMAC over both - never the task
// token, which stays in the encrypted table. The key is the workflow's link-signing secret.

/** 128-bit ids, base64url without padding (used as text, never decoded). */
export const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/**
 * A 256-bit signature in its one canonical spelling: 43 base64url characters, the last of
 * which carries 4 bits and must leave its 2 spare bits zero (decoders ignore them, so
 * without this rule four texts would verify as the same signature).
 */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
/** An expiry in its one spelling: epoch seconds in decimal, no sign, no leading zeros. */
const EXPIRY_PATTERN = /^[1-9]\d{0,11}$/;

/** The expiry a link carries, or undefined when the text is not its canonical spelling. */
export function parseExpiry(text: string): number | undefined {
  return EXPIRY_PATTERN.test(text) ? Number(text) : undefined;
}

function mac(key: Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}

/**
 * The approval id of one visit to the approval state: derived, not random, so a retried
 * request Lambda finds the approval its first attempt created instead of making a second one.
 */
export function approvalIdFor(key: Buffer, executionArn: string, stateName: string, enteredTime: string): string {
  return mac(key, `id|${executionArn}|${stateName}|${enteredTime}`).subarray(0, 16).toString('base64url');
}

/** The link signature over the approval id and the expiry (epoch seconds). */
export function signLink(key: Buffer, approvalId: string, expiresAt: number): string {
  return mac(key, `link|${approvalId}|${expiresAt}`).toString('base64url');
}

/** Constant-time check of a link signature; malformed or non-canonical input is simply invalid. */
export function verifyLink(key: Buffer, approvalId: string, expiresAt: number | undefined, signature: string): boolean {
  if (!SIGNATURE_PATTERN.test(signature) || !APPROVAL_ID_PATTERN.test(approvalId) || !Number.isSafeInteger(expiresAt)) return false;
  const expected = mac(key, `link|${approvalId}|${expiresAt}`);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `<callbackUrl>approvals/<id>?e=<exp>&s=<sig>`: the review page (GET never decides). */
export function reviewLink(callbackUrl: string, approvalId: string, expiresAt: number, signature: string): string {
  const base = callbackUrl.endsWith('/') ? callbackUrl : `${callbackUrl}/`;
  return `${base}approvals/${approvalId}?e=${expiresAt}&s=${signature}`;
}

/** The path the decision is POSTed to, absolute so that it resolves the same from any page URL. */
export function decisionPath(approvalId: string): string {
  return `/approvals/${approvalId}/decision`;
}

/** Where the decision is POSTed. */
export function decisionUrl(callbackUrl: string, approvalId: string): string {
  const base = callbackUrl.endsWith('/') ? callbackUrl : `${callbackUrl}/`;
  return `${base}approvals/${approvalId}/decision`;
}
