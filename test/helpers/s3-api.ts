import { LoopbackResponse, LoopbackServer, startLoopbackServer } from './http-server';

// S3's object API on loopback, for the clients of lambda-src/shared/aws/s3.ts and the
// handlers that use them.

export type S3Api = LoopbackServer & {
  /** Object bodies by `<bucket>/<key>`. */
  readonly objects: Map<string, string>;
  /** Content types objects were stored with, by `<bucket>/<key>` (default text/csv). */
  readonly contentTypes: Map<string, string>;
};

/**
 * S3 objects on loopback, path-style (`/<bucket>/<key>`): PUT writes, GET reads and answers
 * with the stored content type unless `response-content-type` overrides it, as S3 does; a
 * missing object is S3's XML NoSuchKey error.
 */
export async function startS3Api(): Promise<S3Api> {
  const objects = new Map<string, string>();
  const contentTypes = new Map<string, string>();
  const server = await startLoopbackServer((request): LoopbackResponse => {
    const url = new URL(request.url, 'http://s3.local');
    const key = decodeURIComponent(url.pathname.slice(1));
    if (request.method === 'PUT') {
      objects.set(key, request.body);
      contentTypes.set(key, String(request.headers['content-type'] ?? 'binary/octet-stream'));
      return { status: 200, headers: { etag: '"e"' }, body: '' };
    }
    const body = objects.get(key);
    if (body === undefined) {
      return { status: 404, headers: { 'content-type': 'application/xml' }, body: `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key></Error>` };
    }
    const contentType = url.searchParams.get('response-content-type') ?? contentTypes.get(key) ?? 'text/csv';
    return { status: 200, headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) }, body };
  });
  return Object.assign(server, { objects, contentTypes });
}
