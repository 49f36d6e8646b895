import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the server received, body read in full. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the handler answers; `delayMs` holds the answer back, `hang` never answers. */
export interface LoopbackResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly delayMs?: number;
  readonly hang?: boolean;
}

export type LoopbackHandler = (request: RecordedRequest) => LoopbackResponse | Promise<LoopbackResponse>;

/** A local HTTP server on a random loopback port. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received so far, in order. */
  readonly requests: RecordedRequest[];
  /** Replace the handler (e.g. switch a target from healthy to failing). */
  respondWith(handler: LoopbackHandler): void;
  /** Stop the server; hanging requests are cut. */
  stop(): Promise<void>;
}

/** Start an HTTP server on 127.0.0.1 that answers with `handler` (default: 200 `{}`). */
export async function startLoopbackServer(handler: LoopbackHandler = () => ({ status: 200, body: '{}' })): Promise<LoopbackServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void Promise.resolve(current(recorded)).then((answer) => {
        if (answer.hang) return;
        const send = () => {
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
          res.end(answer.body ?? '');
        };
        if (answer.delayMs) {
          const t = setTimeout(() => {
            timers.delete(t);
            send();
          }, answer.delayMs);
          timers.add(t);
        } else {
          send();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    respondWith(next) {
      current = next;
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
