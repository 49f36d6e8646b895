import { DbError } from './errors';
import { fingerprint } from '../shared/fingerprint';

/** A value the runtime sends as a query parameter (escaped client-side by mysql2). */
export type SqlScalar = string | number | bigint | boolean | null | Date | Uint8Array;
/** A parameter: a scalar, or a non-empty list of scalars (expands to `a, b, c` for `IN (?)`). */
export type SqlValue = SqlScalar | readonly SqlScalar[];

/** Limits applied before a statement leaves the function. */
export interface SqlLimits {
  /** Longest SQL text accepted, in UTF-8 bytes. */
  readonly maxSqlBytes: number;
  /** Largest SQL text + parameter values accepted, in bytes (binary values count twice: they travel as hex). */
  readonly maxPayloadBytes: number;
}

export const DEFAULT_SQL_LIMITS: SqlLimits = { maxSqlBytes: 64 * 1024, maxPayloadBytes: 1024 * 1024 };

/** What the scan of one SQL text found; cached per text. */
interface SqlShape {
  readonly placeholders: number;
  /** Set when the text may never be sent: the error to throw. */
  readonly problem?: DbError;
}

/** Statement kinds query() runs; everything else is refused before it is sent (an allow-list, so new server syntax is refused until reviewed). */
const ALLOWED_STATEMENTS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH', 'VALUES', 'TABLE',
  'CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'GRANT', 'REVOKE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN'];

// Transactions go through transaction(): it guarantees ROLLBACK on throw and never retries.
const TRANSACTION_CONTROL = new Set(['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'XA']);

// Statements that change session state make RDS Proxy pin the client to one database
// connection for the rest of the session (no multiplexing). Session settings belong in
// the proxy's initQuery; locks and temporary tables in a design that does not need them.
const SESSION_STATEMENTS: Record<string, string> = {
  SET: 'SET statements',
  USE: 'USE (changes the session default database)',
  PREPARE: 'server-side prepared statements',
  EXECUTE: 'server-side prepared statements',
  DEALLOCATE: 'server-side prepared statements',
  LOCK: 'LOCK TABLES',
  UNLOCK: 'LOCK TABLES',
  HANDLER: 'HANDLER statements (a table handler open in the session)',
  CALL: 'stored procedure calls (CALL)',
};

// RDS Proxy does not look inside stored routines: a lock or variable a procedure sets stays in a session others reuse.
const STORED_ROUTINE_RISK = 'can take locks and set session state that RDS Proxy does not see';

/** Functions whose effect lives in the session, by upper-case name (matched however the name is quoted or spaced). */
const SESSION_FUNCTIONS: Record<string, string> = {
  GET_LOCK: 'named locks (GET_LOCK())',
  RELEASE_LOCK: 'named locks (RELEASE_LOCK())',
  RELEASE_ALL_LOCKS: 'named locks (RELEASE_ALL_LOCKS())',
  IS_USED_LOCK: 'named locks (IS_USED_LOCK())',
  IS_FREE_LOCK: 'named locks (IS_FREE_LOCK())',
  FOUND_ROWS: 'FOUND_ROWS()',
};

/** A piece of SQL code outside comments: a keyword or unquoted name, a quoted name or literal, a user variable, or one other character. */
interface Token {
  readonly kind: 'word' | 'quoted' | 'variable' | 'other';
  readonly text: string;
}

// What MySQL accepts in an unquoted identifier: ASCII letters, digits, _ and $, and U+0080 onwards.
const WORD_CHAR = /[\w$\u0080-\uffff]/;

// An @ right after a name (bare, quoted, or a ? placeholder) joins a MySQL account, user@host, and is no variable.
const ACCOUNT_USER_END = /[\w$'"`?]/;

const shapes = new Map<string, SqlShape>();
const MAX_CACHED_SHAPES = 512;

/**
 * Check a statement and its values before it is sent; throws a DbError naming what is
 * wrong. The error carries a fingerprint of the SQL, never the SQL or the values, so a
 * literal pasted into SQL by mistake does not end up in logs.
 */
export function assertSafeStatement(sql: string, values: readonly SqlValue[] | undefined, limits: SqlLimits): void {
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new DbError('DB_INVALID_SQL', 'SQL must be a non-empty string', false);
  }
  let shape = shapes.get(sql);
  if (shape === undefined) {
    const sqlBytes = Buffer.byteLength(sql, 'utf8');
    if (sqlBytes > limits.maxSqlBytes) {
      throw new DbError('DB_PAYLOAD_TOO_LARGE', `SQL text is ${sqlBytes} bytes, the limit is ${limits.maxSqlBytes} (${fingerprint(sql)})`, false);
    }
    shape = scanSql(sql);
    if (shapes.size >= MAX_CACHED_SHAPES) shapes.clear();
    shapes.set(sql, shape);
  }
  if (shape.problem) throw shape.problem;

  const count = values === undefined ? 0 : values.length;
  if (count !== shape.placeholders) {
    const hint = shape.placeholders === 0
      ? 'values were given but the SQL has no ? placeholders: put every value in a placeholder, never into the SQL text'
      : 'pass exactly one value per ? placeholder';
    throw new DbError('DB_INVALID_SQL', `SQL has ${shape.placeholders} placeholder(s) but ${count} value(s) were given; ${hint} (${fingerprint(sql)})`, false);
  }
  if (count > 0) {
    const bytes = sql.length + valuesSize(values!, sql);
    if (bytes > limits.maxPayloadBytes) {
      throw new DbError('DB_PAYLOAD_TOO_LARGE', `statement and values are about ${bytes} bytes, the limit is ${limits.maxPayloadBytes} (${fingerprint(sql)})`, false);
    }
  }
}

/** Approximate wire size of the values; throws on values that cannot be sent safely. */
function valuesSize(values: readonly SqlValue[], sql: string): number {
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Array.isArray(value)) {
      if (value.length === 0) {
        throw new DbError('DB_INVALID_SQL', `value ${i + 1} is an empty list, which renders as invalid SQL; handle the empty case before querying (${fingerprint(sql)})`, false);
      }
      for (const item of value) bytes += scalarSize(item, i, sql, true);
    } else {
      bytes += scalarSize(value as SqlScalar, i, sql, false);
    }
  }
  return bytes;
}

function scalarSize(value: SqlScalar, index: number, sql: string, inList: boolean): number {
  const where = `value ${index + 1}${inList ? ' (in a list)' : ''}`;
  switch (typeof value) {
    case 'string': return value.length * 3 > 65536 ? Buffer.byteLength(value, 'utf8') : value.length * 3;
    case 'bigint':
    case 'boolean': return 24;
    case 'number':
      if (!Number.isFinite(value)) throw new DbError('DB_INVALID_SQL', `${where} is ${value}, which SQL cannot store (${fingerprint(sql)})`, false);
      return 24;
    case 'object':
      if (value === null) return 4;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new DbError('DB_INVALID_SQL', `${where} is an invalid Date (${fingerprint(sql)})`, false);
        return 32;
      }
      if (value instanceof Uint8Array) return value.length * 2 + 3;
      throw new DbError('DB_INVALID_SQL', `${where} is an object or nested list; only strings, numbers, bigints, booleans, null, Dates, Buffers and flat lists are accepted (serialize JSON with JSON.stringify) (${fingerprint(sql)})`, false);
    default:
      throw new DbError('DB_INVALID_SQL', `${where} is ${value === undefined ? 'undefined (pass null for SQL NULL)' : `a ${typeof value}`} (${fingerprint(sql)})`, false);
  }
}

/**
 * Tokenize SQL text the way the server reads it (string literals, quoted identifiers,
 * comments, non-ASCII names), count `?` placeholders (`??` identifier placeholders count
 * as one), and find a second statement, a statement kind outside the allow-list and
 * anything that pins a proxied session or takes a lock in it.
 */
export function scanSql(sql: string): SqlShape {
  const tokens: Token[] = [];
  let placeholders = 0;
  let statementEnded = false;
  const n = sql.length;
  for (let i = 0; i < n; i++) {
    const c = sql[i];
    if (/\s/.test(c)) continue;
    if ((c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /\s/.test(sql[i + 2]))) || c === '#') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      // MySQL runs /*! ... */ and MariaDB /*M! ... */ as code
      if (/^\/\*[mM]?!/.test(sql.slice(i, i + 4))) return invalid('executable comments (/*! ... */, /*M! ... */) are not allowed', sql);
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return invalid('unterminated comment', sql);
      i = end + 1;
      continue;
    }
    if (c === ';') {
      statementEnded = true;
      continue;
    }
    if (statementEnded) return invalid('multiple statements are not allowed: send one statement per query() call', sql);
    if (c === '\'' || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      if (end === ESCAPED_QUOTE) {
        return invalid('a quote escaped with a backslash ends the literal when the server runs with NO_BACKSLASH_ESCAPES; ' +
          'double the quote (\'\') or, better, pass the value as a ? parameter', sql);
      }
      if (end < 0) return invalid(`unterminated ${c === '`' ? 'quoted identifier' : 'string literal'}`, sql);
      tokens.push({ kind: 'quoted', text: sql.slice(i + 1, end).split(c + c).join(c) });
      i = end;
      continue;
    }
    if (WORD_CHAR.test(c)) {
      let end = i + 1;
      while (end < n && WORD_CHAR.test(sql[end])) end++;
      tokens.push({ kind: 'word', text: sql.slice(i, end) });
      i = end - 1;
      continue;
    }
    if (c === '@') {
      // @@name reads a system variable; @name, @`name`, @'name' are user variables
      if (sql[i + 1] === '@') i++;
      else if (i === 0 || !ACCOUNT_USER_END.test(sql[i - 1])) tokens.push({ kind: 'variable', text: c });
      continue;
    }
    if (c === '?') {
      placeholders++;
      if (sql[i + 1] === '?') i++;
    }
    tokens.push({ kind: 'other', text: c });
  }
  const problem = statementProblem(tokens, sql);
  return problem ? { placeholders, problem } : { placeholders };
}

/** Why the statement may not be sent, or undefined. */
function statementProblem(tokens: readonly Token[], sql: string): DbError | undefined {
  let first = 0;
  while (tokens[first]?.text === '(') first++;
  const kind = tokens[first]?.kind === 'word' ? tokens[first].text.toUpperCase() : '';
  const word = (index: number) => (tokens[index]?.kind === 'word' ? tokens[index].text.toUpperCase() : '');
  if (TRANSACTION_CONTROL.has(kind)) {
    return invalid('transaction control statements are not accepted by query(): use transaction(fn), which commits, or rolls back when fn throws', sql).problem;
  }
  if (Object.hasOwn(SESSION_STATEMENTS, kind)) return pinning(SESSION_STATEMENTS[kind], sql, kind === 'CALL' ? STORED_ROUTINE_RISK : undefined);
  if (!ALLOWED_STATEMENTS.includes(kind)) {
    const named = /^[A-Z_]{1,20}$/.test(kind) ? `${kind} statements` : 'statements of this kind';
    return invalid(`${named} are not accepted: query() runs ${ALLOWED_STATEMENTS.join(', ')} statements`, sql).problem;
  }
  if (kind === 'CREATE' && (word(first + 1) === 'TEMPORARY' || (word(first + 1) === 'OR' && word(first + 3) === 'TEMPORARY'))) {
    return pinning('temporary tables', sql);
  }
  for (let i = first; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'variable') return pinning('user variables (@name)', sql);
    if (word(i) === 'SQL_CALC_FOUND_ROWS') return pinning('FOUND_ROWS()', sql);
    const name = token.text.toUpperCase();
    // a quoted name calls the function too (`GET_LOCK`(...), and "GET_LOCK"(...) under ANSI_QUOTES)
    if ((token.kind === 'word' || token.kind === 'quoted') && tokens[i + 1]?.text === '(' && Object.hasOwn(SESSION_FUNCTIONS, name)) {
      return pinning(SESSION_FUNCTIONS[name], sql);
    }
  }
  return undefined;
}

function pinning(what: string, sql: string, risk = 'pin the client to one database connection behind RDS Proxy'): DbError {
  return new DbError('DB_PINNING_RISK', `${what} ${risk} and are not accepted; ` +
    `put session settings in the proxy's initQuery (${fingerprint(sql)})`, false);
}

function invalid(reason: string, sql: string): SqlShape {
  return { placeholders: 0, problem: new DbError('DB_INVALID_SQL', `${reason} (${fingerprint(sql)})`, false) };
}

const ESCAPED_QUOTE = -2;

/**
 * Index of the quote closing the literal opened at `start`, honouring doubled quotes and
 * backslash escapes; -1 when unterminated, ESCAPED_QUOTE when a backslash escapes the
 * quote itself (where the literal ends would then depend on the server's sql_mode).
 */
function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === '\\' && quote !== '`') {
      if (sql[i + 1] === quote) return ESCAPED_QUOTE;
      i++;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}
