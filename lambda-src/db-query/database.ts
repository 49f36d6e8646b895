import { createConnection, type Connection, type ConnectionOptions } from 'mysql2';
import { cleartextPlugin, type CredentialProvider } from './credentials';
import { DbError, errorCode, isAuthFailure, isConnectionLost, isRetryableConnectFailure } from './errors';
import { assertSafeStatement, DEFAULT_SQL_LIMITS, type SqlLimits, type SqlValue } from './sql-guard';

/** The logger shape the runtime writes to; a Powertools Logger fits. */
export interface DbLogger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Settings of a {@link Database}. */
export interface DatabaseOptions {
  /** The RDS Proxy endpoint (or any MySQL-protocol server). */
  readonly host: string;
  /** @default 3306 */
  readonly port?: number;
  readonly user: string;
  /** Default database of the session, sent in the handshake (never with USE). */
  readonly database?: string;
  readonly credentials: CredentialProvider;
  /**
   * TLS is always on and the server certificate always verified: its chain, and that it
   * names `host` (connect by the proxy endpoint's name, not an address). RDS Proxy presents an
   * ACM certificate chaining to Amazon Root CA 1-4, which Node's built-in CA store
   * already trusts, so no bundle ships by default; pass `ca` for a private CA or a direct
   * instance connection (RDS CA bundle).
   */
  readonly tls?: { readonly ca?: string | string[] };
  /** @default 3000 */
  readonly connectTimeoutMs?: number;
  /** Upper bound of every statement. @default 10000 */
  readonly queryTimeoutMs?: number;
  /**
   * Ping before using a connection idle for longer than this (a frozen Lambda
   * environment may hold a socket the proxy closed). @default 300000
   */
  readonly staleAfterMs?: number;
  readonly limits?: Partial<SqlLimits>;
  readonly logger?: DbLogger;
  readonly now?: () => number;
}

/** Per-statement options. */
export interface QueryOptions {
  /**
   * Whether running the statement twice is harmless. Only idempotent statements are
   * retried (once, on a fresh connection) when the connection is lost mid-statement.
   * @default false
   */
  readonly idempotent?: boolean;
  /** @default the database's queryTimeoutMs */
  readonly timeoutMs?: number;
}

/** What a statement returned: rows for SELECT, counts for writes. */
export interface QueryResult<T> {
  readonly rows: T[];
  readonly affectedRows: number;
  readonly insertId: number;
}

/** Anything that runs parameterized statements: the database, or a transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, values?: readonly SqlValue[], options?: QueryOptions): Promise<QueryResult<T>>;
}

/** Counters since the environment started; the handler turns deltas into metrics. */
export interface DbStats {
  connects: number;
  reconnects: number;
  staleDetected: number;
  queries: number;
}

/** Options of {@link Database.transaction}. */
export interface TransactionOptions {
  /** `START TRANSACTION READ ONLY`. @default false */
  readonly readOnly?: boolean;
}

const NO_VALUES: readonly SqlValue[] = [];
const quietLogger: DbLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * One lazily opened, reused MySQL connection per execution environment, made safe for
 * RDS Proxy: parameterized text-protocol statements only (no server-side prepared
 * statements, SET or user variables, which pin the proxied session), TLS always, a
 * credential minted only when a connection opens, a ping before use after idle, and
 * transparent reconnects when that is safe.
 */
export class Database implements Queryable {
  public readonly stats: DbStats = { connects: 0, reconnects: 0, staleDetected: 0, queries: 0 };

  private readonly options: DatabaseOptions;
  private readonly limits: SqlLimits;
  private readonly logger: DbLogger;
  private readonly now: () => number;
  private readonly staleAfterMs: number;
  private readonly queryTimeoutMs: number;
  private conn: Connection | undefined;
  private opening: Promise<Connection> | undefined;
  private lastUsedAt = 0;
  private activeTransaction: Promise<void> | undefined;

  constructor(options: DatabaseOptions) {
    this.options = options;
    this.limits = { ...DEFAULT_SQL_LIMITS, ...options.limits };
    this.logger = options.logger ?? quietLogger;
    this.now = options.now ?? Date.now;
    this.staleAfterMs = options.staleAfterMs ?? 300_000;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
  }

  /** Run one parameterized statement (`?` placeholders, one value each). */
  public query<T = Record<string, unknown>>(sql: string, values?: readonly SqlValue[], options?: QueryOptions): Promise<QueryResult<T>> {
    try {
      assertSafeStatement(sql, values, this.limits);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.activeTransaction) return this.activeTransaction.then(() => this.query<T>(sql, values, options));
    const conn = this.freshConnection();
    if (conn) return this.run<T>(conn, sql, values ?? NO_VALUES, options, true);
    return this.connection().then((c) => this.run<T>(c, sql, values ?? NO_VALUES, options, true));
  }

  /** A read: idempotent, so retried once on a lost connection. */
  public read<T = Record<string, unknown>>(sql: string, values?: readonly SqlValue[], options?: QueryOptions): Promise<QueryResult<T>> {
    return this.query<T>(sql, values, { ...options, idempotent: true });
  }

  /** A write: never retried automatically. */
  public write(sql: string, values?: readonly SqlValue[], options?: QueryOptions): Promise<QueryResult<never>> {
    return this.query<never>(sql, values, { ...options, idempotent: false });
  }

  /**
   * Run `fn` inside START TRANSACTION ... COMMIT on the environment's connection; ROLLBACK
   * and rethrow (the same error object) when it throws. Statements inside are never
   * retried. Other statements of the environment wait until the transaction ends.
   */
  public async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    while (this.activeTransaction) await this.activeTransaction;
    let release!: () => void;
    this.activeTransaction = new Promise<void>((resolve) => (release = resolve));
    let open = true;
    try {
      const conn = await this.connection();
      await this.run(conn, options.readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION', NO_VALUES, undefined, false);
      const tx: Queryable = {
        query: <R>(sql: string, values?: readonly SqlValue[], queryOptions?: QueryOptions) => {
          if (!open) return Promise.reject(new DbError('DB_INVALID_SQL', 'the transaction has already ended; run statements inside the transaction callback', false));
          try {
            assertSafeStatement(sql, values, this.limits);
          } catch (err) {
            return Promise.reject(err);
          }
          return this.run<R>(conn, sql, values ?? NO_VALUES, queryOptions, false);
        },
      };
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        open = false;
        await this.rollback(conn);
        throw err;
      }
      open = false;
      await this.run(conn, 'COMMIT', NO_VALUES, undefined, false);
      return result;
    } finally {
      open = false;
      this.activeTransaction = undefined;
      release();
    }
  }

  /** Close the connection (tests, graceful shutdown). */
  public async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (conn) await new Promise<void>((resolve) => conn.end(() => resolve()));
  }

  /** The server-side id of the current connection, if one is open (tests, diagnostics). */
  public get connectionId(): number | undefined {
    return this.conn?.threadId ?? undefined;
  }

  /** The open connection when it can be used without a ping; undefined otherwise. */
  private freshConnection(): Connection | undefined {
    const conn = this.conn;
    if (conn === undefined || this.now() - this.lastUsedAt > this.staleAfterMs) return undefined;
    return conn;
  }

  /** A usable connection: the open one (pinged first after idle) or a new one. */
  private async connection(): Promise<Connection> {
    const conn = this.conn;
    if (conn === undefined) return this.open(false);
    if (this.now() - this.lastUsedAt <= this.staleAfterMs) return conn;
    this.stats.staleDetected++;
    try {
      await new Promise<void>((resolve, reject) => conn.ping((err) => (err ? reject(err) : resolve())));
      this.lastUsedAt = this.now();
      return conn;
    } catch (err) {
      this.logger.warn('database connection went stale while idle; reconnecting', { code: errorCode(err) });
      this.discard(conn);
      return this.open(true);
    }
  }

  private open(reconnect: boolean): Promise<Connection> {
    this.opening ??= this.connect(reconnect, true).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connect(reconnect: boolean, mayRetry: boolean): Promise<Connection> {
    const { credentials } = this.options;
    const secret = await credentials.secret();
    const started = this.now();
    const config: ConnectionOptions = {
      host: this.options.host,
      port: this.options.port ?? 3306,
      user: this.options.user,
      database: this.options.database,
      // mysql2 checks the chain with rejectUnauthorized, but the certificate's name only with
      // verifyIdentity: without it, any server with a CA-valid certificate would get the token.
      ssl: { ca: this.options.tls?.ca, rejectUnauthorized: true, verifyIdentity: true, minVersion: 'TLSv1.2' },
      connectTimeout: this.options.connectTimeoutMs ?? 3000,
      multipleStatements: false,
      charset: 'UTF8MB4_UNICODE_CI',
      enableKeepAlive: true,
      supportBigNumbers: true,
    };
    if (credentials.mode === 'iam') {
      config.authPlugins = { mysql_clear_password: cleartextPlugin(() => secret) as never };
    } else {
      config.password = secret;
    }
    const conn = createConnection(config);
    try {
      await new Promise<void>((resolve, reject) => {
        // Stays attached: a late error of this connection must never become an unhandled 'error' event.
        conn.on('error', reject);
        conn.connect((err) => (err ? reject(err) : resolve()));
      });
    } catch (err) {
      abandon(conn);
      if (mayRetry && isConnectionLost(err)) return this.connect(reconnect, false);
      throw this.connectFailure(err);
    }
    const stream = (conn as unknown as { stream?: { encrypted?: boolean; getProtocol?: () => string | null } }).stream;
    if (stream?.encrypted !== true) {
      conn.destroy();
      throw new DbError('DB_TLS_REQUIRED', `the connection to ${this.options.host} is not encrypted; refusing to use it`, false);
    }
    conn.on('error', (err) => {
      this.logger.warn('database connection closed by an error', { code: errorCode(err) });
      this.discard(conn);
    });
    conn.on('end', () => this.discard(conn));
    this.conn = conn;
    this.lastUsedAt = this.now();
    this.stats.connects++;
    if (reconnect) this.stats.reconnects++;
    this.logger.info('database connected', {
      host: this.options.host,
      user: this.options.user,
      authMode: credentials.mode,
      tlsVersion: stream.getProtocol?.() ?? undefined,
      connectMs: this.now() - started,
      reconnect,
    });
    return conn;
  }

  private connectFailure(err: unknown): DbError {
    if (err instanceof DbError) return err;
    if (isAuthFailure(err)) {
      this.options.credentials.invalidate();
      this.logger.error('database refused the credentials', { code: errorCode(err), user: this.options.user, authMode: this.options.credentials.mode });
      return new DbError('DB_AUTH_FAILED', `the database refused the credentials of ${this.options.user} (${errorCode(err)})`, false, { cause: err });
    }
    const where = `${this.options.host}:${this.options.port ?? 3306}`;
    if (errorCode(err) === 'HANDSHAKE_SSL_ERROR') {
      return new DbError('DB_CONNECT_FAILED', `refused the TLS certificate of ${where}: ${(err as Error).message}`, false, { cause: err });
    }
    return new DbError('DB_CONNECT_FAILED', `could not connect to ${where} (${errorCode(err) ?? (err as Error).message})`, isRetryableConnectFailure(err), { cause: err });
  }

  private run<T>(
    conn: Connection, sql: string, values: readonly SqlValue[], options: QueryOptions | undefined, mayRetry: boolean,
  ): Promise<QueryResult<T>> {
    this.stats.queries++;
    return new Promise<QueryResult<T>>((resolve, reject) => {
      let settled = false;
      const command = conn.query({ sql, values: values as unknown[], timeout: options?.timeoutMs ?? this.queryTimeoutMs }, (err, result) => {
        // mysql2 may report a killed connection twice (error packet, then socket close): act once.
        if (settled) return;
        settled = true;
        this.lastUsedAt = this.now();
        if (err) clearQueryTimer(command);
        if (!err) {
          resolve(Array.isArray(result)
            ? { rows: result as T[], affectedRows: 0, insertId: 0 }
            : { rows: [], affectedRows: (result as { affectedRows: number }).affectedRows, insertId: (result as { insertId: number }).insertId });
          return;
        }
        if (err.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
          this.discard(conn, true);
          reject(new DbError('DB_QUERY_TIMEOUT', `statement did not finish within ${options?.timeoutMs ?? this.queryTimeoutMs} ms`, true, { cause: err }));
          return;
        }
        if (isConnectionLost(err) || (err as { fatal?: boolean }).fatal) {
          this.discard(conn, true);
          if (mayRetry && options?.idempotent) {
            this.logger.warn('database connection lost during an idempotent statement; retrying once on a new connection', { code: err.code });
            resolve(this.open(true).then((fresh) => this.run<T>(fresh, sql, values, options, false)));
            return;
          }
          reject(new DbError('DB_CONNECTION_LOST', `the database connection was lost during the statement (${err.code ?? 'fatal error'}); ` +
            'its outcome is unknown, so it was not retried', true, { cause: err }));
          return;
        }
        reject(err);
      });
    });
  }

  private async rollback(conn: Connection): Promise<void> {
    if (this.conn !== conn) return; // the connection is gone: the server rolled back already
    try {
      await this.run(conn, 'ROLLBACK', NO_VALUES, undefined, false);
    } catch (err) {
      this.logger.warn('ROLLBACK failed; dropping the connection so the server rolls back', { code: errorCode(err) });
      this.discard(conn, true);
    }
  }

  private discard(conn: Connection, destroy = false): void {
    if (this.conn === conn) this.conn = undefined;
    if (destroy) conn.destroy();
  }
}

/** Tear down a connection that failed to open, including mysql2's connect timer, which would otherwise keep firing. */
function abandon(conn: Connection): void {
  const timer = (conn as unknown as { connectTimeout?: NodeJS.Timeout | null }).connectTimeout;
  if (timer) clearTimeout(timer);
  conn.destroy();
}

/** mysql2 leaves a statement's timeout timer running when the connection dies under it; stop it. */
function clearQueryTimer(command: unknown): void {
  const timer = (command as { queryTimeout?: NodeJS.Timeout | null } | undefined)?.queryTimeout;
  if (timer) clearTimeout(timer);
}
