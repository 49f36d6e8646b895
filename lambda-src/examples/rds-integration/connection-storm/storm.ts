import type { Database } from '../../../db-query/database';
import { errorCode } from '../../../db-query/errors';
import { HandlerError } from '../../../shared/errors';

/**
 * One client of the connection-storm exercise. The script starts many at once; each opens
 * its own connection (every Lambda environment has one) and keeps it for `seconds`:
 *   hold  - connected but idle between two short statements: RDS Proxy can lend the server
 *           connection to other clients meanwhile (multiplexing);
 *   sleep - busy in one statement (SELECT SLEEP) the whole time: every client needs its own
 *           server connection, and the statement lands in the slow query log.
 * `target` says whether the client goes through the proxy or straight to the instance.
 */
export interface StormRequest {
  readonly mode: 'hold' | 'sleep';
  readonly seconds: number;
  readonly target: 'proxy' | 'instance';
}

export interface StormResult extends StormRequest {
  /** The server connection of the first statement. */
  readonly connectionId: number;
  readonly elapsedMs: number;
}

/** Longest hold: the function's timeout is 2 minutes. */
export const MAX_STORM_SECONDS = 90;

export function parseStormRequest(event: unknown): StormRequest {
  const e = (typeof event === 'object' && event !== null && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const mode = e.mode ?? 'hold';
  const target = e.target ?? 'proxy';
  const seconds = e.seconds ?? 30;
  if (mode !== 'hold' && mode !== 'sleep') problems.push(`mode must be "hold" or "sleep", got ${JSON.stringify(mode)}`);
  if (target !== 'proxy' && target !== 'instance') problems.push(`target must be "proxy" or "instance", got ${JSON.stringify(target)}`);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_STORM_SECONDS) {
    problems.push(`seconds must be an integer between 1 and ${MAX_STORM_SECONDS}, got ${JSON.stringify(seconds)}`);
  }
  if (problems.length > 0) throw new HandlerError('INVALID_REQUEST', problems.join('; '));
  return { mode: mode as StormRequest['mode'], target: target as StormRequest['target'], seconds: seconds as number };
}

/** Run one storm client on `db`; connection failures are rethrown with their database code. */
export async function runStormClient(
  db: Database, request: StormRequest, deps: { sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): Promise<StormResult> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? Date.now;
  const started = now();
  const timeoutMs = (request.seconds + 15) * 1000;
  let connectionId: number;
  if (request.mode === 'sleep') {
    const { rows } = await db.read<{ connectionId: number }>('SELECT CONNECTION_ID() AS connectionId, SLEEP(?) AS slept', [request.seconds], { timeoutMs });
    connectionId = Number(rows[0].connectionId);
  } else {
    const { rows } = await db.read<{ connectionId: number }>('SELECT CONNECTION_ID() AS connectionId', undefined, { timeoutMs });
    connectionId = Number(rows[0].connectionId);
    await sleep(request.seconds * 1000);
    await db.read('SELECT 1', undefined, { timeoutMs });
  }
  return { ...request, connectionId, elapsedMs: now() - started };
}

/** The code a failed storm client reports: the server's (e.g. ER_CON_COUNT_ERROR) when there is one. */
export function failureCode(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  return errorCode(cause) ?? errorCode(err) ?? 'UNKNOWN';
}
