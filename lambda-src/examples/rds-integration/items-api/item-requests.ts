import type { ItemFields } from './items';

/** The parts of a Lambda function URL request (payload format 2.0) the API reads. */
export interface FunctionUrlRequest {
  readonly rawPath?: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly queryStringParameters?: { [name: string]: string | undefined };
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

/** What the API was asked to do, validated. */
export type ItemCommand =
  | { readonly action: 'list'; readonly limit: number; readonly afterId: number }
  | { readonly action: 'create'; readonly fields: ItemFields }
  | { readonly action: 'get'; readonly id: number }
  | { readonly action: 'update'; readonly id: number; readonly fields: ItemFields; readonly expectedVersion: number | null }
  | { readonly action: 'delete'; readonly id: number }
  | { readonly action: 'whoami' };

/** A request the API refuses, with the HTTP status that says why. */
export class RequestError extends Error {
  constructor(public readonly status: 400 | 404 | 405 | 413 | 415, public readonly code: string, message: string, public readonly allow?: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export const LIMITS = {
  maxBodyBytes: 16 * 1024,
  maxNameChars: 100,
  maxDescriptionChars: 1000,
  maxQuantity: 1_000_000,
  maxPageSize: 100,
  defaultPageSize: 20,
} as const;

const ITEM_PATH = /^\/items\/([^/]+)$/;
const ITEM_FIELDS = new Set(['name', 'description', 'quantity']);

/** Route and validate a function URL request; throws a RequestError naming every problem. */
export function parseItemRequest(request: FunctionUrlRequest): ItemCommand {
  const method = (request.requestContext?.http?.method ?? '').toUpperCase();
  const path = (request.rawPath ?? '/').replace(/\/+$/, '') || '/';
  if (path === '/items') {
    if (method === 'GET') return { action: 'list', ...page(request.queryStringParameters ?? {}) };
    if (method === 'POST') return { action: 'create', fields: itemFields(jsonBody(request), false) };
    throw notAllowed('GET, POST');
  }
  if (path === '/whoami') {
    if (method === 'GET') return { action: 'whoami' };
    throw notAllowed('GET');
  }
  const match = ITEM_PATH.exec(path);
  if (!match) throw new RequestError(404, 'NOT_FOUND', `no route for ${path}; the API serves /items, /items/{id} and /whoami`);
  const id = itemId(match[1]);
  switch (method) {
    case 'GET': return { action: 'get', id };
    case 'DELETE': return { action: 'delete', id };
    case 'PUT': {
      const body = jsonBody(request);
      return { action: 'update', id, fields: itemFields(body, true), expectedVersion: expectedVersion(body) };
    }
    default: throw notAllowed('GET, PUT, DELETE');
  }
}

function notAllowed(allow: string): RequestError {
  return new RequestError(405, 'METHOD_NOT_ALLOWED', `this route accepts ${allow}`, allow);
}

function itemId(raw: string): number {
  const id = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new RequestError(400, 'INVALID_REQUEST', `the item id must be a positive integer (at most ${Number.MAX_SAFE_INTEGER}), got ${JSON.stringify(raw.slice(0, 40))}`);
  }
  return id;
}

function page(query: { [name: string]: string | undefined }): { limit: number; afterId: number } {
  const problems: string[] = [];
  const integer = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw.slice(0, 40))}`);
      return fallback;
    }
    return value;
  };
  const limit = integer('limit', query.limit, LIMITS.defaultPageSize, 1, LIMITS.maxPageSize);
  const afterId = integer('after', query.after, 0, 0, Number.MAX_SAFE_INTEGER);
  if (problems.length > 0) throw new RequestError(400, 'INVALID_REQUEST', problems.join('; '));
  return { limit, afterId };
}

function jsonBody(request: FunctionUrlRequest): Record<string, unknown> {
  const raw = request.body ?? '';
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.maxBodyBytes) {
    throw new RequestError(413, 'PAYLOAD_TOO_LARGE', `the body is ${bytes} bytes; at most ${LIMITS.maxBodyBytes} are accepted`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'INVALID_REQUEST', 'the body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(400, 'INVALID_REQUEST', `the body must be a JSON object, got ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}`);
  }
  return body as Record<string, unknown>;
}

/** Characters as MySQL counts them in a utf8mb4 VARCHAR (code points, not UTF-16 units). */
function characters(text: string): number {
  return [...text].length;
}

function itemFields(body: Record<string, unknown>, allowVersion: boolean): ItemFields {
  const problems: string[] = [];
  const unknown = Object.keys(body).filter((k) => !ITEM_FIELDS.has(k) && !(allowVersion && k === 'expectedVersion'));
  if (unknown.length > 0) problems.push(`unknown fields ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
  const { name, description = '', quantity } = body;
  if (typeof name !== 'string' || characters(name) < 1 || characters(name) > LIMITS.maxNameChars) {
    problems.push(`name must be a string of 1 to ${LIMITS.maxNameChars} characters, got ${describe(name)}`);
  }
  if (typeof description !== 'string' || characters(description) > LIMITS.maxDescriptionChars) {
    problems.push(`description must be a string of at most ${LIMITS.maxDescriptionChars} characters, got ${describe(description)}`);
  }
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > LIMITS.maxQuantity) {
    problems.push(`quantity must be an integer between 0 and ${LIMITS.maxQuantity}, got ${describe(quantity)}`);
  }
  if (allowVersion && body.expectedVersion !== undefined && body.expectedVersion !== null) {
    const v = body.expectedVersion;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) problems.push(`expectedVersion must be a positive integer, got ${describe(v)}`);
  }
  if (problems.length > 0) throw new RequestError(400, 'INVALID_REQUEST', problems.join('; '));
  return { name: name as string, description: description as string, quantity: quantity as number };
}

function expectedVersion(body: Record<string, unknown>): number | null {
  return typeof body.expectedVersion === 'number' ? body.expectedVersion : null;
}

/** A value for an error message: its type, and a short, JSON-escaped excerpt of strings. */
function describe(value: unknown): string {
  if (typeof value === 'string') {
    const n = characters(value);
    return n > 40 ? `a string of ${n} characters` : JSON.stringify(value);
  }
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return 'an object';
}
