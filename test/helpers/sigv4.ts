import { createHash, createHmac } from 'node:crypto';
import type { RecordedRequest } from './http-server';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/**
 * The SigV4 signature a received request should carry, recomputed independently of any
 * signing library from the headers it says it signed (AWS SigV4, header-based signing).
 */
export function expectedSigV4Signature(request: RecordedRequest, secretAccessKey: string, region: string, service: string): string {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1].split(';');
  const amzDate = String(request.headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  const [path, query = ''] = request.url.split('?');
  const canonical = [
    request.method,
    path,
    query,
    ...signedHeaders.map((h) => `${h}:${String(request.headers[h]).trim()}`),
    '',
    signedHeaders.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  return hmac(key, toSign).toString('hex');
}

/** The signature an Authorization header carries. */
export function signatureOf(request: RecordedRequest): string | undefined {
  return /Signature=([0-9a-f]{64})/.exec(String(request.headers.authorization ?? ''))?.[1];
}
