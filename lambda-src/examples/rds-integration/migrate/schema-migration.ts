import { applyMigrations, ensureApplicationUser, type Migration, MIGRATIONS } from './migrations';
import type { DbLogger, Queryable } from '../../../db-query/database';
import { errorCode } from '../../../db-query/errors';
import { statementOptions, type InvocationContext } from '../../../db-query/invocation';
import { HandlerError } from '../../../shared/errors';

/** The part of a custom resource event (custom_resources.Provider) the migration reads. */
export interface SchemaMigrationEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
}

/** What the Provider framework turns into the custom resource's attributes. */
export interface SchemaMigrationResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly SchemaVersion: string; readonly Applied: string };
}

export interface SchemaMigrationDependencies {
  /** The database as its master user, through the proxy. */
  readonly db: Queryable;
  /** The application user to create and grant. */
  readonly applicationUser: string;
  /** Reads the application user's password from its secret (only on Create and Update). */
  readonly applicationPassword: () => Promise<string>;
  readonly logger: DbLogger;
  readonly migrations?: readonly Migration[];
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** How long to wait between connection attempts while the proxy target is not ready. @default 15000 */
  readonly retryIntervalMs?: number;
}

const PHYSICAL_ID = 'schema';
// Connect-phase failures while RDS Proxy registers its target after the stack created it.
const NOT_READY_CODES = new Set(['DB_CONNECT_FAILED', 'DB_AUTH_FAILED', 'DB_CONNECTION_LOST']);
// DDL can take longer than a query; still bounded by the invocation's remaining time.
const STATEMENT_TIMEOUT_MS = 60_000;
// Stop retrying early enough to report the failure before Lambda ends the invocation.
const REPORT_MARGIN_MS = 30_000;

/**
 * The schema migration behind the lab's custom resource: on Create and Update it waits
 * for the proxy to accept connections, applies the pending migrations and makes sure the
 * application user exists; on Delete it does nothing (the database goes with the stack).
 */
export function createSchemaMigration(deps: SchemaMigrationDependencies) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? Date.now;
  const retryIntervalMs = deps.retryIntervalMs ?? 15_000;

  const waitUntilReachable = async (deadline: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.db.query('SELECT 1', undefined, { timeoutMs: 5_000 });
        return;
      } catch (err) {
        const code = errorCode(err);
        if (!NOT_READY_CODES.has(code ?? '') || now() + retryIntervalMs > deadline) throw err;
        deps.logger.warn('the database is not reachable through the proxy yet; retrying', { attempt, code });
        await sleep(retryIntervalMs);
      }
    }
  };

  return async (event: SchemaMigrationEvent, context?: InvocationContext): Promise<SchemaMigrationResponse> => {
    const requestType = event?.RequestType;
    if (requestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID };
    if (requestType !== 'Create' && requestType !== 'Update') {
      throw new HandlerError('INVALID_REQUEST', `RequestType must be Create, Update or Delete, got ${JSON.stringify(requestType)}`);
    }
    const remaining = context ? context.getRemainingTimeInMillis() : 10 * 60_000;
    await waitUntilReachable(now() + remaining - REPORT_MARGIN_MS);
    const options = statementOptions(context, STATEMENT_TIMEOUT_MS);
    const outcome = await applyMigrations(deps.db, options, deps.migrations ?? MIGRATIONS);
    await ensureApplicationUser(deps.db, deps.applicationUser, await deps.applicationPassword(), options);
    deps.logger.info('schema migrated', { applied: outcome.applied, schemaVersion: outcome.schemaVersion, applicationUser: deps.applicationUser });
    return { PhysicalResourceId: PHYSICAL_ID, Data: { SchemaVersion: String(outcome.schemaVersion), Applied: outcome.applied.join(',') } };
  };
}
