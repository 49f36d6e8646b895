import { type FunctionUrlRequest, type ItemCommand, parseItemRequest, RequestError } from './item-requests';
import { createItem, deleteItem, getItem, listItems, sessionInfo, updateItem } from './items';
import type { Database, DbLogger } from '../../../db-query/database';
import { DbError } from '../../../db-query/errors';
import { statementOptions, type InvocationContext } from '../../../db-query/invocation';

/** A function URL response. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: { [name: string]: string };
  readonly body: string;
}

export interface ItemsApiDependencies {
  readonly db: Database;
  readonly logger: DbLogger;
  /** Upper bound of each statement. @default 10000 */
  readonly queryTimeoutMs?: number;
  /** Called when an invocation ends, however it ends (metrics). */
  readonly onInvocationEnd?: () => void;
}

function json(statusCode: number, body: unknown, headers: { [name: string]: string } = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/**
 * The items API behind the lab's IAM-authenticated function URL: create, read, update,
 * delete and list rows of `items` through RDS Proxy, parameterized statements only.
 * Bad requests get a 4xx naming the problem and never reach the database; a database
 * that cannot be reached gets 503 with Retry-After; anything else 500, details logged.
 */
export function createItemsApi(deps: ItemsApiDependencies): (request: FunctionUrlRequest, context?: InvocationContext) => Promise<HttpResponse> {
  const { db } = deps;
  const queryTimeoutMs = deps.queryTimeoutMs ?? 10_000;

  const execute = async (command: ItemCommand, context: InvocationContext | undefined): Promise<HttpResponse> => {
    const options = statementOptions(context, queryTimeoutMs);
    switch (command.action) {
      case 'list':
        return json(200, { items: await listItems(db, command, options) });
      case 'create': {
        const item = await createItem(db, command.fields, options);
        return json(201, { item }, { location: `/items/${item.id}` });
      }
      case 'get': {
        const item = await getItem(db, command.id, options);
        return item ? json(200, { item }) : json(404, { error: 'NOT_FOUND', message: `no item ${command.id}` });
      }
      case 'update': {
        const outcome = await updateItem(db, command.id, command.fields, command.expectedVersion, options);
        if ('item' in outcome) return json(200, { item: outcome.item });
        if ('notFound' in outcome) return json(404, { error: 'NOT_FOUND', message: `no item ${command.id}` });
        return json(409, { error: 'VERSION_CONFLICT', message: `item ${command.id} changed since version ${command.expectedVersion}`, currentVersion: outcome.conflict.currentVersion });
      }
      case 'delete':
        return (await deleteItem(db, command.id, options)) ? { statusCode: 204, headers: {}, body: '' } : json(404, { error: 'NOT_FOUND', message: `no item ${command.id}` });
      case 'whoami':
        return json(200, await sessionInfo(db, options));
    }
  };

  return async (request, context) => {
    try {
      return await execute(parseItemRequest(request ?? {}), context);
    } catch (err) {
      if (err instanceof RequestError) {
        return json(err.status, { error: err.code, message: err.message }, err.allow ? { allow: err.allow } : {});
      }
      const { name, code, retryable } = err as { name?: string; code?: string; retryable?: boolean };
      deps.logger.error('request failed', { name, code, retryable });
      if (err instanceof DbError && err.retryable) {
        return json(503, { error: 'DATABASE_UNAVAILABLE', message: 'the database did not answer; retry shortly' }, { 'retry-after': '1' });
      }
      return json(500, { error: 'INTERNAL', message: 'the request failed; see the function log' });
    } finally {
      deps.onInvocationEnd?.();
    }
  };
}
