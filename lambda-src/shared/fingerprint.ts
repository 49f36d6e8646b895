import { createHash } from 'node:crypto';

/**
 * A short, stable, non-reversible stand-in for a secret, so logs can correlate requests
 * that used the same JWT, task token, API key or database token without revealing it:
 * `sha256:` + the first 12 hex characters of its SHA-256.
 */
export function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12)}`;
}

/**
 * Keys whose values are secrets wherever they appear in a log record. Matched
 * case-insensitively against the whole key, ignoring `-` and `_`.
 */
const SECRET_KEYS = new Set([
  'authorization',
  'token',
  'accesstoken',
  'idtoken',
  'refreshtoken',
  'tasktoken',
  'authtoken',
  'jwt',
  'apikey',
  'xapikey',
  'password',
  'secret',
  'secretstring',
  'clientsecret',
  'signature',
  'cookie',
  'setcookie',
]);

/** Whether a log attribute with this key carries a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * A JSON replacer for log records: values under secret keys become their fingerprint
 * (strings) or `[redacted]` (anything else), wherever they are nested.
 */
export function redactSecrets(key: string, value: unknown): unknown {
  if (key === '' || !isSecretKey(key) || value === undefined || value === null) return value;
  return typeof value === 'string' ? fingerprint(value) : '[redacted]';
}
