import { randomUUID } from 'node:crypto';
import { parseCommandRequest, RouteError } from './command-request';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import type { WebSocketConnections } from '../../../shared/aws/websocket-connections';
import { deletePresenceIfCurrent, readConnection, readPresence, RouteResponse, WebSocketRouteEvent } from '../shared/connections';
import { connectionKey } from '../shared/keys';

/** What a send needs besides the event; the clock and command ids are injected. */
export interface SendCommandDeps {
  readonly db: DynamoDb;
  readonly connectionsTable: string;
  /** The @connections client of the stage whose callback URL is given. */
  readonly connections: (callbackUrl: string) => WebSocketConnections;
  readonly now: () => number;
  readonly newCommandId?: () => string;
}

/** The one log line of a send: who asked what of which device, and how it ended. Never the args. */
export interface SendCommandRecord {
  readonly statusCode: number;
  readonly code?: string;
  readonly tenantId?: string;
  readonly sub?: string;
  readonly deviceId?: string;
  readonly commandId?: string;
  readonly command?: string;
  /** Why the command did not reach a live connection (an AWS error code). */
  readonly deliveryError?: string;
}

/**
 * The `sendCommand` route (and `$default`, which answers UNKNOWN_ACTION):
 * 1. the caller's `C#<connectionId>` must exist with role operator, else 403 NOT_AN_OPERATOR;
 * 2. the device's presence is read under the caller's own tenant only, so a device of another
 *    tenant looks exactly like one that is not connected: 404 DEVICE_NOT_CONNECTED;
 * 3. the command is posted to the device's connection; GoneException removes the stale
 *    presence item (only if it still names that connection) and answers 410;
 * 4. 202 `{ commandId }`.
 * The message is checked before any read, so malformed input costs no I/O.
 * DynamoDB failures are thrown (the route then answers API Gateway's internal error).
 */
export async function sendCommand(
  event: WebSocketRouteEvent, deps: SendCommandDeps,
): Promise<{ response: RouteResponse; record: SendCommandRecord }> {
  let record: SendCommandRecord = { statusCode: 0 };
  try {
    const request = parseCommandRequest(event);
    record = { ...record, deviceId: request.deviceId, command: request.name };
    const callerId = validConnectionId(event.requestContext?.connectionId);
    const caller = callerId === undefined ? undefined : await readConnection(deps.db, deps.connectionsTable, callerId);
    if (caller) record = { ...record, tenantId: caller.tenantId, sub: caller.sub };
    if (caller?.role !== 'operator') throw new RouteError(403, 'NOT_AN_OPERATOR', 'only operator connections may send commands');

    const target = await readPresence(deps.db, deps.connectionsTable, caller.tenantId, request.deviceId);
    if (target === undefined) throw new RouteError(404, 'DEVICE_NOT_CONNECTED', `device ${request.deviceId} is not connected in your tenant`, 'deviceId');

    const commandId = (deps.newCommandId ?? randomUUID)();
    record = { ...record, commandId };
    const message = { type: 'command', commandId, name: request.name, args: request.args, issuedAt: new Date(deps.now()).toISOString() };
    try {
      await deps.connections(callbackUrl(event)).postToConnection(target, JSON.stringify(message));
    } catch (error) {
      if (isAwsError(error, 'GoneException')) {
        await deletePresenceIfCurrent(deps.db, deps.connectionsTable, caller.tenantId, request.deviceId, target);
        record = { ...record, deliveryError: error.code };
        throw new RouteError(410, 'DEVICE_GONE', `device ${request.deviceId} has disconnected; send again once it reconnects`, 'deviceId');
      }
      if (isAwsError(error)) {
        record = { ...record, deliveryError: error.code };
        throw new RouteError(502, 'COMMAND_NOT_DELIVERED', `the command could not be delivered to device ${request.deviceId}; try again`);
      }
      throw error;
    }
    return { response: { statusCode: 202, body: JSON.stringify({ commandId }) }, record: { ...record, statusCode: 202 } };
  } catch (error) {
    if (error instanceof RouteError) return { response: error.toResponse(), record: { ...record, statusCode: error.statusCode, code: error.code } };
    throw error;
  }
}

function validConnectionId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  try {
    connectionKey(id);
    return id;
  } catch {
    return undefined;
  }
}

/**
 * The stage's @connections callback URL, `https://<domainName>/<stage>`, from the request
 * itself: the WebSocket API keeps its execute-api endpoint (design notes §4.10), so the
 * domain API Gateway reports is the one the management API answers on.
 */
export function callbackUrl(event: WebSocketRouteEvent): string {
  const domain = event.requestContext?.domainName;
  const stage = event.requestContext?.stage;
  if (typeof domain !== 'string' || !/^[A-Za-z0-9.-]{1,253}$/.test(domain)) throw new Error(`requestContext.domainName must be a host name, got ${JSON.stringify(domain)}`);
  if (typeof stage !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(stage)) throw new Error(`requestContext.stage must be a stage name, got ${JSON.stringify(stage)}`);
  return `https://${domain}/${stage}`;
}
