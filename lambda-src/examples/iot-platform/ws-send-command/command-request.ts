import type { RouteResponse, WebSocketRouteEvent } from '../shared/connections';
import { deviceId, InvalidIdError } from '../shared/keys';

/** The largest message body accepted, in bytes (UTF-8). */
export const MAX_BODY_BYTES = 16 * 1024;
/** The largest `command.args`, serialized as JSON, in bytes. */
export const MAX_ARGS_BYTES = 4 * 1024;
export const COMMAND_NAMES = ['ping', 'reboot', 'setInterval'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** A validated `sendCommand` message. Only `deviceId` names a target; the tenant comes from the connection. */
export interface CommandRequest {
  readonly deviceId: string;
  readonly name: CommandName;
  readonly args: Record<string, unknown>;
}

/** An answer to the caller: status, stable code, and (for a field) which one. Never echoes more than a truncated value. */
export class RouteError extends Error {
  constructor(public readonly statusCode: number, public readonly code: string, message: string, public readonly field?: string) {
    super(message);
    this.name = 'RouteError';
  }

  public toResponse(): RouteResponse {
    const body = { error: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
    return { statusCode: this.statusCode, body: JSON.stringify(body) };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const shown = (value: unknown) => JSON.stringify(typeof value === 'string' ? value.slice(0, 40) : value === undefined ? null : typeof value === 'object' ? `<${Array.isArray(value) ? 'array' : typeof value}>` : value);

/**
 * The message as a `sendCommand` request, or a RouteError naming what is wrong: the body
 * (missing, over 16 KB, not UTF-8, not a JSON object), the action (`UNKNOWN_ACTION`, which
 * is also what the `$default` route answers), or the field that breaks its rule.
 */
export function parseCommandRequest(event: WebSocketRouteEvent): CommandRequest {
  const message = bodyObject(event);
  if (message.action !== 'sendCommand') {
    throw new RouteError(400, 'UNKNOWN_ACTION', `action must be "sendCommand", got ${shown(message.action)}`, 'action');
  }
  let device: string;
  try {
    device = deviceId(message.deviceId, 'deviceId');
  } catch (error) {
    if (error instanceof InvalidIdError) throw new RouteError(400, 'INVALID_REQUEST', error.message, 'deviceId');
    throw error;
  }
  const command = message.command;
  if (typeof command !== 'object' || command === null || Array.isArray(command)) {
    throw new RouteError(400, 'INVALID_REQUEST', `command must be an object { name, args? }, got ${shown(command)}`, 'command');
  }
  const { name, args } = command as Record<string, unknown>;
  if (!(COMMAND_NAMES as readonly unknown[]).includes(name)) {
    throw new RouteError(400, 'INVALID_REQUEST', `command.name must be one of ${COMMAND_NAMES.map((c) => `"${c}"`).join(', ')}, got ${shown(name)}`, 'command.name');
  }
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    throw new RouteError(400, 'INVALID_REQUEST', `command.args must be an object, got ${shown(args)}`, 'command.args');
  }
  const argsBytes = args === undefined ? 0 : Buffer.byteLength(JSON.stringify(args), 'utf8');
  if (argsBytes > MAX_ARGS_BYTES) {
    throw new RouteError(400, 'INVALID_REQUEST', `command.args must be at most ${MAX_ARGS_BYTES} bytes as JSON, got ${argsBytes}`, 'command.args');
  }
  return { deviceId: device, name: name as CommandName, args: (args ?? {}) as Record<string, unknown> };
}

function bodyObject(event: WebSocketRouteEvent): Record<string, unknown> {
  const body = event?.body;
  if (typeof body !== 'string' || body.length === 0) throw new RouteError(400, 'BODY_REQUIRED', 'the message must be a JSON object', 'body');
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new RouteError(413, 'BODY_TOO_LARGE', `the message must be at most ${MAX_BODY_BYTES} bytes, got ${bytes.length}`, 'body');
  let text: string;
  try {
    text = event.isBase64Encoded ? utf8.decode(bytes) : body;
  } catch {
    throw new RouteError(400, 'BODY_NOT_UTF8', 'the message must be UTF-8 text', 'body');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RouteError(400, 'BODY_NOT_JSON', 'the message is not valid JSON', 'body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RouteError(400, 'BODY_NOT_OBJECT', `the message must be a JSON object, got ${shown(parsed)}`, 'body');
  }
  return parsed as Record<string, unknown>;
}
