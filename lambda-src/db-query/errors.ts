import { HandlerError } from '../shared/errors';

/**
 * Stable codes of the errors the data-access runtime raises on purpose. SQL errors of the
 * server (duplicate key, unknown table ...) are not wrapped: they pass through with the
 * mysql2 `code`, `errno` and `sqlState`.
 */
export type DbErrorCode =
  | 'DB_INVALID_SQL'
  | 'DB_PINNING_RISK'
  | 'DB_PAYLOAD_TOO_LARGE'
  | 'DB_TLS_REQUIRED'
  | 'DB_CONNECT_FAILED'
  | 'DB_AUTH_FAILED'
  | 'DB_CONNECTION_LOST'
  | 'DB_QUERY_TIMEOUT';

/** An error of the data-access runtime: `code` is stable, `retryable` says whether trying again can help. */
export class DbError extends HandlerError {
  constructor(code: DbErrorCode, message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(code, message, retryable, options);
  }
}

/** mysql2/Node error codes that mean the socket is gone: the connection cannot be used again. */
const CONNECTION_LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ERR_STREAM_DESTROYED',
  'ERR_SOCKET_CLOSED',
]);

/** Server error numbers that close the session: killed (MariaDB 1927), idle timeout (MySQL 4031), shutdown. */
const CONNECTION_LOST_ERRNOS = new Set([1927, 4031, 1053]);

/** Server errors that mean the credentials were refused. */
const AUTH_FAILED_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'AUTH_SWITCH_PLUGIN_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE']);

/** Connect failures worth retrying later (network, DNS, overload). */
const RETRYABLE_CONNECT_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ER_CON_COUNT_ERROR', 'ENOTFOUND']);

/** The `code` of an error object, if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether the error says the connection (not the statement) failed. */
export function isConnectionLost(err: unknown): boolean {
  const code = errorCode(err);
  if (code !== undefined && CONNECTION_LOST_CODES.has(code)) return true;
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && CONNECTION_LOST_ERRNOS.has(errno);
}

/** Whether the error says the server refused the credentials. */
export function isAuthFailure(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && AUTH_FAILED_CODES.has(code);
}

/** Whether a failed connect may succeed when tried again later. */
export function isRetryableConnectFailure(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && RETRYABLE_CONNECT_CODES.has(code);
}
