import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ensureApplicationUser, isApplicationUserName, type SecretReader } from './application-user';
import type { Database, DbLogger, QueryOptions } from './database';
import { databaseMetricsRecorder, statementOptions, type InvocationContext } from './invocation';
import { HandlerError } from '../shared/errors';

/** The application user `setup` creates: its MySQL name and the Secrets Manager secret holding its password. */
export interface ApplicationUserRequest {
  readonly name: string;
  readonly secretName: string;
}

/** What the example handler accepts. */
export type NotesRequest =
  | { readonly action: 'setup'; readonly applicationUser?: ApplicationUserRequest }
  | { readonly action: 'put'; readonly body: string }
  | { readonly action: 'get'; readonly id: number }
  | { readonly action: 'list'; readonly limit?: number }
  | { readonly action: 'delete'; readonly id: number };

export interface Note {
  readonly id: number;
  readonly body: string;
}

export interface NotesDependencies {
  readonly db: Database;
  readonly logger?: DbLogger;
  readonly metrics?: Metrics;
  /** Counts IAM token mints, when the credential provider mints tokens. */
  readonly tokenMints?: () => number;
  /** Upper bound of each statement; shortened to the invocation's remaining time minus 500 ms. @default 10000 */
  readonly queryTimeoutMs?: number;
  /** The database the application user gets privileges on (the connection's default database). */
  readonly database?: string;
  /** Reads an application user's secret; needed only by `setup` with `applicationUser`. */
  readonly readSecret?: SecretReader;
}

export type { InvocationContext } from './invocation';

const MAX_BODY_CHARS = 1000;
const CREATE_TABLE = 'CREATE TABLE IF NOT EXISTS notes (' +
  'id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, ' +
  'body VARCHAR(1000) NOT NULL, ' +
  'created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)' +
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/**
 * The example data-access handler: a tiny notes table driven through the runtime. It
 * shows the intended use - one Database per environment, parameterized statements,
 * reads marked idempotent, a write + read-back in one transaction - and emits one EMF
 * document per invocation with the runtime's counters.
 */
export function createNotesHandler(deps: NotesDependencies): (event: unknown, context?: InvocationContext) => Promise<unknown> {
  // The metrics are added here and published by the handler wrapper (shared/handler.ts).
  const { db } = deps;
  const recordMetrics = databaseMetricsRecorder(db, deps.metrics, deps.tokenMints);
  const queryTimeoutMs = deps.queryTimeoutMs ?? 10_000;

  const run = async (request: NotesRequest, options: QueryOptions): Promise<unknown> => {
    switch (request.action) {
      case 'setup': {
        // Schema and users are an administrator's job (the master user); the application
        // connects as the user created here, with data privileges only.
        await db.write(CREATE_TABLE, undefined, options);
        const user = request.applicationUser;
        if (!user) return { ok: true };
        if (!deps.readSecret || !deps.database) {
          throw new HandlerError('CONFIGURATION_INVALID', 'setup with applicationUser needs a secret reader and the database name');
        }
        await ensureApplicationUser(db, user.name, await deps.readSecret(user.secretName), deps.database, options);
        return { ok: true, applicationUser: user.name };
      }
      case 'put': {
        const note = await db.transaction(async (tx) => {
          const inserted = await tx.query('INSERT INTO notes (body) VALUES (?)', [request.body], options);
          const { rows } = await tx.query<Note>('SELECT id, body FROM notes WHERE id = ?', [inserted.insertId], options);
          return rows[0];
        });
        return { note: { id: Number(note.id), body: note.body } };
      }
      case 'get': {
        const { rows } = await db.read<Note>('SELECT id, body FROM notes WHERE id = ?', [request.id], options);
        return { note: rows[0] ? { id: Number(rows[0].id), body: rows[0].body } : null };
      }
      case 'list': {
        const { rows } = await db.read<Note>('SELECT id, body FROM notes ORDER BY id DESC LIMIT ?', [request.limit ?? 20], options);
        return { notes: rows.map((r) => ({ id: Number(r.id), body: r.body })) };
      }
      case 'delete': {
        const { affectedRows } = await db.write('DELETE FROM notes WHERE id = ?', [request.id], options);
        return { deleted: affectedRows };
      }
    }
  };

  return async (event: unknown, context?: InvocationContext) => {
    const request = parseRequest(event);
    try {
      return await run(request, statementOptions(context, queryTimeoutMs));
    } finally {
      recordMetrics();
    }
  };
}

/** Validate the event; one error naming every problem. */
export function parseRequest(event: unknown): NotesRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new HandlerError('INVALID_REQUEST', 'the event must be a JSON object with an "action"');
  }
  const e = event as Record<string, unknown>;
  switch (e.action) {
    case 'setup':
      return { action: 'setup', applicationUser: e.applicationUser === undefined ? undefined : parseApplicationUser(e.applicationUser) };
    case 'put':
      if (typeof e.body !== 'string' || e.body.length === 0 || e.body.length > MAX_BODY_CHARS) {
        throw new HandlerError('INVALID_REQUEST', `"body" must be a string of 1 to ${MAX_BODY_CHARS} characters`);
      }
      return { action: 'put', body: e.body };
    case 'get':
    case 'delete':
      if (!Number.isSafeInteger(e.id) || (e.id as number) < 1) throw new HandlerError('INVALID_REQUEST', '"id" must be a positive integer');
      return { action: e.action, id: e.id as number };
    case 'list':
      if (e.limit !== undefined && (!Number.isInteger(e.limit) || (e.limit as number) < 1 || (e.limit as number) > 100)) {
        throw new HandlerError('INVALID_REQUEST', '"limit" must be an integer between 1 and 100');
      }
      return { action: 'list', limit: e.limit as number | undefined };
    default:
      throw new HandlerError('INVALID_REQUEST', `"action" must be one of "setup", "put", "get", "list", "delete", got ${JSON.stringify(e.action)}`);
  }
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

function parseApplicationUser(value: unknown): ApplicationUserRequest {
  const user = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!isApplicationUserName(user.name)) {
    problems.push(`"applicationUser.name" must be a MySQL user name (a letter, then letters, digits or _; at most 32), got ${JSON.stringify(user.name)}`);
  }
  if (typeof user.secretName !== 'string' || !SECRET_NAME.test(user.secretName)) {
    problems.push(`"applicationUser.secretName" must be a Secrets Manager secret name, got ${JSON.stringify(user.secretName)}`);
  }
  if (problems.length > 0) throw new HandlerError('INVALID_REQUEST', problems.join('; '));
  return { name: user.name as string, secretName: user.secretName as string };
}
