import { HandlerError } from '../shared/errors';

/** An API Gateway (REST or HTTP API) or function URL event, as far as the request to the target goes. */
interface ProxyEvent {
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  rawQueryString?: string;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

/** The event cannot become a request to the target: the caller's error (400), never a failure of the target. */
export class InvalidRequestError extends HandlerError {
  constructor(message: string) {
    super('CIRCUIT_INVALID_REQUEST', message, false);
  }
}

/** Whether the event comes from API Gateway (REST or HTTP API) or a function URL: such callers get HTTP answers. */
export function isHttpEvent(event: unknown): boolean {
  const e = event as ProxyEvent | null;
  return !!e && typeof e === 'object' && (typeof e.httpMethod === 'string' || typeof e.requestContext?.http?.method === 'string');
}

// Hop-by-hop and host-specific headers are not forwarded to the target.
export const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

// RFC 9110 token: what a method or a header name may be made of.
const TOKEN = /^[\w!#$%&'*+.^`|~-]+$/;

/**
 * The request for one event: proxy events keep method, path, query, headers and body;
 * anything else is POSTed to `base` as JSON. It is checked here, against the rules fetch
 * applies when it builds the request, before the circuit is consulted: a request that
 * cannot be sent throws InvalidRequestError and never counts against the target.
 * Redirects come back to the caller as they are: following one could leave the target.
 */
export function httpRequest(base: string, event: unknown): { url: string; init: RequestInit } {
  if (!isHttpEvent(event)) {
    return { url: base, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event ?? null), redirect: 'manual' } };
  }
  const e = event as ProxyEvent;
  const method = (e.httpMethod ?? e.requestContext?.http?.method) as string; // isHttpEvent: one of them is a string
  if (!TOKEN.test(method) || /^(connect|trace|track)$/i.test(method)) {
    throw new InvalidRequestError(`httpMethod must be an HTTP method token other than CONNECT, TRACE and TRACK, got ${JSON.stringify(method)}`);
  }
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(e.headers ?? {})) {
    if (value === undefined || DROPPED_HEADERS.has(name.toLowerCase())) continue;
    if (!TOKEN.test(name)) throw new InvalidRequestError(`header name ${JSON.stringify(name)} is not an HTTP token`);
    // The value is not repeated: it may be a credential.
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) throw new InvalidRequestError(`header "${name}" must be Latin-1 text without control characters such as CR, LF or NUL`);
    headers.push([name, value]);
  }
  const body = e.body == null || /^(get|head)$/i.test(method) ? undefined : e.isBase64Encoded ? Buffer.from(e.body, 'base64') : String(e.body);
  try {
    return { url: targetUrl(base, e.rawPath ?? e.path ?? '/', e.rawQueryString ?? encodedQuery(e)), init: { method, headers, body, redirect: 'manual' } };
  } catch (error) {
    // e.g. a lone surrogate, which has no encoding, or a path that is not a string (direct invocations)
    throw error instanceof InvalidRequestError ? error : new InvalidRequestError(`path and query must be well-formed text: ${(error as Error).message}`);
  }
}

/** The query string of a REST API event, encoded; every value of a repeated parameter is only in multiValueQueryStringParameters. */
function encodedQuery(e: ProxyEvent): string {
  const pairs: string[] = [];
  for (const [key, values] of Object.entries(e.multiValueQueryStringParameters ?? e.queryStringParameters ?? {})) {
    for (const value of [values ?? []].flat()) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return pairs.join('&');
}

// The target URL is the same for every call of an environment: parsed once.
let parsedTarget: [string, URL] | undefined;

/**
 * Where `path` (and `query`) of an event goes on the target `base`: the path must start
 * with `/` and is appended to the base path, every character that cannot stand in a path
 * percent-encoded (`%XX` escapes are kept: REST APIs and function URLs pass encoded paths,
 * HTTP APIs decoded ones). The result must stay on the target's origin, under its base path.
 */
export function targetUrl(base: string, path: string, query: string): string {
  if (!path.startsWith('/')) throw new InvalidRequestError(`path must start with "/", got ${JSON.stringify(path)}`);
  const target = parsedTarget?.[0] === base ? parsedTarget[1] : (parsedTarget = [base, new URL(base)])[1];
  const root = target.pathname.replace(/\/$/, '');
  const search = [target.search.slice(1), query].filter(Boolean).join('&').replaceAll('#', '%23');
  // The URL parser encodes the rest of what cannot stand in a query.
  const url = new URL(target.origin + root + path.replace(/%(?![\da-fA-F]{2})|[^\w.~!$&'()*+,;=:@/%-]/gu, encodeURIComponent) + (search && `?${search}`));
  if (url.origin !== target.origin || !`${url.pathname}/`.startsWith(`${root}/`)) {
    throw new InvalidRequestError(`path ${JSON.stringify(path)} leaves the target ${target.origin}${root}/`);
  }
  return url.href;
}
