import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A JWKS endpoint on https://127.0.0.1:<port> with a throw-away self-signed certificate. */
export interface JwksServer {
  /** `https://127.0.0.1:<port>/.well-known/jwks.json` */
  readonly jwksUri: string;
  /** PEM of the certificate, for the client's `ca` option (or NODE_EXTRA_CA_CERTS). */
  readonly ca: string;
  /** Requests received so far. */
  readonly requests: () => number;
  /** What the endpoint serves from now on. */
  setKeys(keys: object[]): void;
  /** `up` serves the keys, `error` answers 500, `hang` never answers. */
  setMode(mode: 'up' | 'error' | 'hang'): void;
  stop(): Promise<void>;
}

/**
 * aws-jwt-verify fetches JWKS over HTTPS only, so the loopback JWKS server speaks TLS with
 * a certificate for IP:127.0.0.1 made by openssl for this run.
 */
export async function startJwksServer(keys: object[] = []): Promise<JwksServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jwks-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });

  let current = keys;
  let mode: 'up' | 'error' | 'hang' = 'up';
  let count = 0;
  const server = https.createServer({ key, cert: ca }, (_req, res) => {
    count++;
    if (mode === 'hang') return;
    if (mode === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message":"down"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: current }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    jwksUri: `https://127.0.0.1:${port}/.well-known/jwks.json`,
    ca,
    requests: () => count,
    setKeys: (k) => { current = k; },
    setMode: (m) => { mode = m; },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
