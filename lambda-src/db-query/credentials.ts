import type { TLSSocket } from 'node:tls';
import { DbError } from './errors';

/**
 * Where the runtime gets the password it presents when it opens a connection. In Lambda
 * this is an IAM authentication token (RDS Proxy with IAM auth); in tests a plain
 * password. Only called when a connection is opened, never per query.
 */
export interface CredentialProvider {
  /** `iam` sends the secret with the cleartext plugin, which the runtime allows only over TLS. */
  readonly mode: 'iam' | 'password';
  /** The secret to present now (an IAM token may be reused while it is fresh). */
  secret(): Promise<string>;
  /** Forget a cached secret, e.g. after the server refused it. */
  invalidate(): void;
}

/** A fixed password (tests, local development). */
export function passwordProvider(password: string): CredentialProvider {
  return {
    mode: 'password',
    secret: async () => password,
    invalidate: () => undefined,
  };
}

/** Mints one IAM authentication token; `rdsTokenSigner` (shared/aws) in Lambda. */
export type TokenMinter = () => Promise<string>;

/** Settings of {@link iamTokenProvider}. */
export interface IamTokenProviderOptions {
  /** Mints a token, e.g. `rdsTokenSigner({ hostname, port, username })`. */
  readonly mint: TokenMinter;
  /** Reuse a token while it is younger than this; tokens live 15 minutes. Default 10 minutes. */
  readonly reuseMs?: number;
  /** Clock, injectable for tests. */
  readonly now?: () => number;
}

/** An IAM token provider that also reports how many tokens it minted. */
export interface IamTokenProvider extends CredentialProvider {
  readonly mints: number;
}

/** Tokens are valid for 15 minutes; reuse one for at most 10 so it is never near expiry at connect. */
export const DEFAULT_TOKEN_REUSE_MS = 10 * 60 * 1000;
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/**
 * IAM token provider: mints at connect time, reuses a token younger than `reuseMs`
 * (IAM database authentication is throttled on new tokens, not on reuse), and mints at
 * most once at a time however many connections open concurrently.
 */
export function iamTokenProvider(options: IamTokenProviderOptions): IamTokenProvider {
  const reuseMs = options.reuseMs ?? DEFAULT_TOKEN_REUSE_MS;
  if (!(reuseMs > 0 && reuseMs < TOKEN_LIFETIME_MS)) {
    throw new DbError('DB_AUTH_FAILED', `token reuse must be between 1 ms and 15 minutes (the token lifetime), got ${reuseMs} ms`, false);
  }
  const now = options.now ?? Date.now;
  let cached: { token: string; mintedAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let mints = 0;

  return {
    mode: 'iam',
    get mints() {
      return mints;
    },
    secret(): Promise<string> {
      if (cached && now() - cached.mintedAt < reuseMs) return Promise.resolve(cached.token);
      if (!inFlight) {
        const startedAt = now();
        mints++;
        inFlight = options.mint().then(
          (token) => {
            cached = { token, mintedAt: startedAt };
            inFlight = undefined;
            return token;
          },
          (err: unknown) => {
            inFlight = undefined;
            throw new DbError('DB_AUTH_FAILED', `could not mint an IAM authentication token: ${(err as Error)?.message ?? String(err)}`, true, { cause: err });
          },
        );
      }
      return inFlight;
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

/** The part of a mysql2 connection the cleartext plugin looks at. */
interface PluginConnection {
  readonly stream?: unknown;
}

/**
 * A mysql2 `mysql_clear_password` auth plugin that sends `secret` only over TLS. RDS
 * Proxy asks for this plugin when the client authenticates with an IAM token; sending a
 * token in cleartext over plain TCP would expose it, so the plugin refuses.
 */
export function cleartextPlugin(secret: () => string): (options: { connection: PluginConnection }) => () => Buffer {
  return ({ connection }) => () => {
    if (!isEncrypted(connection.stream)) {
      throw new DbError('DB_TLS_REQUIRED', 'the server asked for the cleartext password plugin on a connection without TLS; refusing to send the credential', false);
    }
    return Buffer.from(`${secret()}\0`, 'utf8');
  };
}

function isEncrypted(stream: unknown): boolean {
  return typeof stream === 'object' && stream !== null && (stream as Partial<TLSSocket>).encrypted === true;
}
