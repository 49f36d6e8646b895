import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { MARIADB_HOST, MARIADB_PORT, mariaDbCa } from './mariadb';

/** A throw-away CA and server certificates it issued, one per list of subject alternative names. */
export interface TestCertificates {
  /** PEM of the CA: what the client trusts. */
  readonly ca: string;
  /** Key and certificate (PEM) per name given to {@link issueCertificates}. */
  readonly servers: Record<string, { readonly key: string; readonly cert: string }>;
}

/**
 * A CA made by openssl for this run and one server certificate per entry, e.g.
 * `{ other: 'DNS:db.other.example' }` — CA-valid certificates for chosen names.
 */
export function issueCertificates(subjectAltNames: Record<string, string>): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'test-ca-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=throw-away test CA', '-keyout', file('ca-key.pem'), '-out', file('ca.pem'));
    const servers: Record<string, { key: string; cert: string }> = {};
    for (const [name, san] of Object.entries(subjectAltNames)) {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`,
        '-keyout', file(`${name}-key.pem`), '-out', file(`${name}.csr`));
      writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
      openssl('x509', '-req', '-in', file(`${name}.csr`), '-days', '1', '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'),
        '-CAcreateserial', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
      servers[name] = { key: readFileSync(file(`${name}-key.pem`), 'utf8'), cert: readFileSync(file(`${name}.pem`), 'utf8') };
    }
    return { ca: readFileSync(file('ca.pem'), 'utf8'), servers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A man in the middle in front of the local MariaDB. */
export interface TlsImpostor {
  /** The loopback port it listens on. */
  readonly port: number;
  /** Bytes clients sent it after their TLS handshake (their handshake response carries the user and credentials). */
  readonly plaintextBytes: () => number;
  stop(): Promise<void>;
}

/**
 * A loopback MySQL-protocol relay to the local MariaDB that ends each client's TLS with
 * its own certificate: it forwards the server greeting and the client's SSL request, then
 * speaks TLS to the client (with `identity`) and to MariaDB, and relays the plaintext. A
 * client that does not check the certificate's name hands it everything it sends.
 */
export async function startTlsImpostor(identity: { key: string; cert: string }): Promise<TlsImpostor> {
  let plaintext = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(MARIADB_PORT, MARIADB_HOST);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    const fromClient = framed(client);
    const fromServer = framed(upstream);
    void (async () => {
      client.write(await fromServer.packet()); // the server greeting (offers TLS)
      upstream.write(await fromClient.packet()); // the client's SSL request
      const toServer = tls.connect({ socket: fromServer.rest(), ca: mariaDbCa(), servername: 'localhost' });
      const toClient = new tls.TLSSocket(fromClient.rest(), { isServer: true, key: identity.key, cert: identity.cert });
      for (const s of [toServer, toClient]) s.on('error', () => [client, upstream].forEach((c) => c.destroy()));
      toClient.on('data', (chunk: Buffer) => {
        plaintext += chunk.length;
        toServer.write(chunk);
      });
      toServer.on('data', (chunk: Buffer) => toClient.write(chunk));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    plaintextBytes: () => plaintext,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A socket read as MySQL packets (4-byte header: 3-byte little-endian length, sequence
 * id) until `rest()` hands everything after them, bytes already received included, to a
 * stream that TLS can wrap.
 */
function framed(socket: net.Socket): { packet(): Promise<Buffer>; rest(): Duplex } {
  let buffered = Buffer.alloc(0);
  let waiting: ((packet: Buffer) => void) | undefined;
  let stream: Duplex | undefined;
  const deliver = () => {
    if (!waiting || buffered.length < 4 || buffered.length < 4 + buffered.readUIntLE(0, 3)) return;
    const length = 4 + buffered.readUIntLE(0, 3);
    const packet = buffered.subarray(0, length);
    buffered = buffered.subarray(length);
    const resolve = waiting;
    waiting = undefined;
    resolve(packet);
  };
  socket.on('data', (chunk: Buffer) => {
    if (stream) {
      stream.push(chunk);
    } else {
      buffered = Buffer.concat([buffered, chunk]);
      deliver();
    }
  });
  socket.on('end', () => stream?.push(null));
  return {
    packet: () => new Promise<Buffer>((resolve) => {
      waiting = resolve;
      deliver();
    }),
    rest: () => {
      stream = new Duplex({ read() {}, write: (chunk, _encoding, done) => socket.write(chunk, done) });
      if (buffered.length > 0) stream.push(buffered);
      return stream;
    },
  };
}
