import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { HandlerError } from '../../../shared/errors';

/** One request of a sequence; `{id}` in the path is the id of the item the latest POST created. */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

/** What came back: the status and the JSON body (or the text when it is not JSON). */
export interface SignedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBinary(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** SHA-256 for the signer, from node:crypto (an HMAC when it gets a key). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBinary(secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBinary(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * Sends a sequence of requests to an IAM-authenticated Lambda function URL, each signed
 * with SigV4 (service `lambda`) by the caller's credentials, and returns every answer.
 * The RDS lab's integ test uses it to drive the items API through its real front door.
 */
export async function sendSignedRequests(
  baseUrl: string, region: string, credentials: Credentials, requests: readonly SignedRequest[],
): Promise<SignedResponse[]> {
  const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 });
  const base = new URL(baseUrl);
  const responses: SignedResponse[] = [];
  let createdId: string | undefined;
  for (const request of requests) {
    const path = request.path.replace('{id}', () => {
      if (createdId === undefined) throw new HandlerError('INVALID_REQUEST', `${request.path} needs {id}, but no earlier POST created an item`);
      return createdId;
    });
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const signed = await signer.sign({
      method: request.method,
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      query: {},
      headers: { host: base.host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const response = await fetch(new URL(path, base), { method: request.method, headers: signed.headers as Record<string, string>, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    const id = (parsed as { item?: { id?: unknown } } | null)?.item?.id;
    if (request.method === 'POST' && response.status === 201 && id !== undefined) createdId = String(id);
    responses.push({ method: request.method, path, status: response.status, body: parsed });
  }
  return responses;
}

/** Check the event: `{ "requests": [{ "method", "path", "body"? }, ...] }`. */
export function parseSignedRequests(event: unknown): SignedRequest[] {
  const requests = (event as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20) {
    throw new HandlerError('INVALID_REQUEST', 'the event must be { "requests": [...] } with 1 to 20 requests');
  }
  return requests.map((r, i) => {
    const { method, path } = (r ?? {}) as { method?: unknown; path?: unknown };
    if (typeof method !== 'string' || !/^(GET|POST|PUT|DELETE|PATCH)$/.test(method) || typeof path !== 'string' || !path.startsWith('/')) {
      throw new HandlerError('INVALID_REQUEST', `request ${i + 1} needs a method (GET, POST, PUT, DELETE or PATCH) and a path starting with /`);
    }
    return { method, path, body: (r as { body?: unknown }).body };
  });
}
