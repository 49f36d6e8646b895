import * as http from 'node:http';

/** What a route answers: a status and a JSON body. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** Answers one request by its method and path (query string removed). */
export type Routes = (method: string, path: string) => Promise<Reply>;

/** A JSON answer of another service, or why there is none. */
export interface FetchedJson {
  readonly status: number;
  readonly body: unknown;
}

/** An HTTP server answering every request through `routes` in JSON; a route that throws answers 500. */
export function createJsonServer(routes: Routes, onError: (error: unknown) => void): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void routes(req.method ?? 'GET', path)
      .catch((error: unknown): Reply => {
        onError(error);
        return { status: 500, body: { error: 'internal error' } };
      })
      .then((reply) => {
        res.writeHead(reply.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(reply.body));
      });
  });
}

/** GET `url` and parse its JSON body; times out after `timeoutMs`. */
export async function fetchJson(url: string, timeoutMs = 2000): Promise<FetchedJson> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (e.g. the proxy's plain-text "no healthy upstream"): keep the text.
  }
  return { status: response.status, body };
}
