import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A BatchWriteItem put or delete, as on the wire. */
export type WireWriteRequest = { PutRequest?: { Item: Record<string, any> }; DeleteRequest?: { Key: Record<string, any> } };

/** A request the proxy received: its DynamoDB operation and JSON input. */
export interface ProxiedCall {
  readonly operation: string;
  readonly input: Record<string, any>;
}

/** A loopback DynamoDB endpoint in front of a real one (dynalite) that can throttle items or go down. */
export interface DynamoFaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly calls: ProxiedCall[];
  /**
   * BatchWriteItem requests for which `predicate` is true are not forwarded: they come back
   * in UnprocessedItems, as DynamoDB answers when a partition is throttled. Undefined stops it.
   */
  withhold(predicate: ((request: WireWriteRequest, table: string) => boolean) | undefined): void;
  /** Down: every connection is cut before an answer, like an unreachable endpoint. */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

/**
 * Starts the proxy for `target` (dynalite's endpoint). Everything else is forwarded as is;
 * dynalite checks that a request is signed, not the signature, so a rewritten body passes.
 */
export async function startDynamoFaultProxy(target: string): Promise<DynamoFaultProxy> {
  const calls: ProxiedCall[] = [];
  let withheld: ((request: WireWriteRequest, table: string) => boolean) | undefined;
  let down = false;
  const upstream = new URL(target);

  const forward = (req: http.IncomingMessage, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)), 'host': upstream.host };
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      out.on('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down) {
        req.socket.destroy();
        return;
      }
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const text = Buffer.concat(chunks).toString('utf8');
      const input = text ? JSON.parse(text) : {};
      calls.push({ operation, input });
      let body = text;
      const unprocessed: Record<string, WireWriteRequest[]> = {};
      if (operation === 'BatchWriteItem' && withheld) {
        const kept: Record<string, WireWriteRequest[]> = {};
        for (const [table, requests] of Object.entries(input.RequestItems as Record<string, WireWriteRequest[]>)) {
          for (const request of requests) {
            const bucket = withheld(request, table) ? unprocessed : kept;
            (bucket[table] ??= []).push(request);
          }
        }
        if (Object.keys(kept).length === 0) {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ UnprocessedItems: unprocessed }));
          return;
        }
        body = JSON.stringify({ ...input, RequestItems: kept });
      }
      forward(req, body).then((answer) => {
        let answerBody = answer.body;
        if (Object.keys(unprocessed).length > 0 && answer.status === 200) {
          const parsed = JSON.parse(answer.body || '{}');
          answerBody = JSON.stringify({ ...parsed, UnprocessedItems: { ...parsed.UnprocessedItems, ...unprocessed } });
        }
        const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(answerBody)) };
        delete (headers as Record<string, unknown>)['x-amz-crc32']; // the checksum was of dynalite's body
        res.writeHead(answer.status, headers);
        res.end(answerBody);
      }, () => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    withhold(predicate) {
      withheld = predicate;
    },
    setDown(value) {
      down = value;
    },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
