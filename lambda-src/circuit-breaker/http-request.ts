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
 * anything else is POSTed to `base` as JSON. Built before the circuit is consulted, so a
 * request that cannot be sent throws InvalidRequestError and never counts against the target.
 * Redirects come back to the caller as they are: following one could leave the target.
 */
export function httpRequest(base: string, event: unknown): Request {
  if (!isHttpEvent(event)) {
    return new Request(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event ?? null), redirect: 'manual' });
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
  // REST events carry every value of a repeated parameter only in multiValueQueryStringParameters.
  const query = e.rawQueryString ?? new URLSearchParams(Object.entries(e.multiValueQueryStringParameters ?? e.queryStringParameters ?? {})
    .flatMap(([key, values]) => [values ?? []].flat().map((value): [string, string] => [key, value]))).toString();
  const body = e.body == null || /^(get|head)$/i.test(method) ? undefined : e.isBase64Encoded ? Buffer.from(e.body, 'base64') : e.body;
  try {
    return new Request(targetUrl(base, e.rawPath ?? e.path ?? '/', query), { method, headers, body, redirect: 'manual' });
  } catch (error) {
    throw error instanceof InvalidRequestError ? error : new InvalidRequestError(`the request cannot be built: ${(error as Error).message}`);
  }
}

/**
 * Where `path` (and `query`) of an event goes on the target `base`: the path must start
 * with `/` and is appended to the base path, every character that cannot stand in a path
 * percent-encoded (`%XX` escapes are kept: REST APIs and function URLs pass encoded paths,
 * HTTP APIs decoded ones). The result must stay on the target's origin, under its base path.
 */
export function targetUrl(base: string, path: string, query: string): URL {
  if (!path.startsWith('/')) throw new InvalidRequestError(`path must start with "/", got ${JSON.stringify(path)}`);
  const target = new URL(base);
  const root = target.pathname.replace(/\/$/, '');
  const url = new URL(target.origin + root + path.replace(/%(?![\da-fA-F]{2})|[^\w.~!$&'()*+,;=:@/%-]/gu, encodeURIComponent));
  // The search setter encodes what cannot stand in a query, # included.
  url.search = [target.search.slice(1), query].filter(Boolean).join('&');
  if (url.origin !== target.origin || !`${url.pathname}/`.startsWith(`${root}/`)) {
    throw new InvalidRequestError(`path ${JSON.stringify(path)} leaves the target ${target.origin}${root}/`);
  }
  return url;
}
