import type { IncomingMessage } from 'node:http';
import { DROPPED_HEADERS, type HttpRequest } from './http-request';
import type { HttpResult } from './targets';

/**
 * Send `request` with node:http or node:https, the transport aws-lite has already loaded for
 * the state store, rather than fetch, whose first call loads undici and web streams (about
 * 60 ms of CPU in a cold environment). Redirects are not followed; a compressed answer is
 * decoded, like fetch did; `signal` aborts the request and closes its socket.
 */
export async function sendHttp(url: string, request: HttpRequest, signal: AbortSignal): Promise<HttpResult> {
  // Only the transport the target uses is loaded (node:https brings TLS).
  const { request: send } = process.getBuiltinModule(url.startsWith('https:') ? 'node:https' : 'node:http');
  const body = request.body ?? '';
  // Headers go as a list, every one as the caller sent it; node:http then adds neither Host nor Content-Length.
  const headers = [['host', new URL(url).host], ...request.headers];
  if (request.body !== undefined || !/^(get|head)$/i.test(request.method)) headers.push(['content-length', String(Buffer.byteLength(body))]);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    send(url, { method: request.method, headers: headers.flat(), signal }, resolve).on('error', reject).end(body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const answered: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    // The body is decoded below, so its encoding no longer applies; of several Set-Cookie the last is kept, as before.
    if (value !== undefined && !DROPPED_HEADERS.has(name) && name !== 'content-encoding') answered[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  const raw = Buffer.concat(chunks);
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoded = raw.length > 0 && encoding && encoding !== 'identity' ? decode(raw, encoding) : raw;
  return { statusCode: response.statusCode as number, headers: answered, body: decoded.toString('utf8') };
}

/** The codings fetch decodes; zlib is loaded only for a compressed answer. Anything else is passed as received. */
function decode(raw: Buffer, encoding: string): Buffer {
  const zlib = process.getBuiltinModule('node:zlib');
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(raw);
  if (encoding === 'br') return zlib.brotliDecompressSync(raw);
  // "deflate" is meant to be zlib-wrapped (its first byte names method 8), but some servers send it raw.
  if (encoding === 'deflate') return raw[0] % 16 === 8 ? zlib.inflateSync(raw) : zlib.inflateRawSync(raw);
  return raw;
}
