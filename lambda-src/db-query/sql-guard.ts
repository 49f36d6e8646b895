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

// Statements that change session state make RDS Proxy pin the client to one database
// connection for the rest of the session (no multiplexing). Session settings belong in
// the proxy's initQuery; locks and temporary tables in a design that does not need them.
const PINNING_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^\s*SET\b/i, 'SET statements'],
  // An @ right after a name (quoted, a placeholder, or bare) is a MySQL account, user@host.
  [/(^|[^@\w$'"`?])@(?!@)[\w$`'"]/, 'user variables (@name)'],
  [/\bCREATE\s+TEMPORARY\b/i, 'temporary tables'],
  [/\b(UN)?LOCK\s+TABLES?\b/i, 'LOCK TABLES'],
  [/\b(GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|IS_USED_LOCK|IS_FREE_LOCK)\s*\(/i, 'named locks (GET_LOCK)'],
  [/\bFOUND_ROWS\s*\(|\bSQL_CALC_FOUND_ROWS\b/i, 'FOUND_ROWS()'],
  [/^\s*(PREPARE|EXECUTE|DEALLOCATE)\b/i, 'server-side prepared statements'],
  [/^\s*USE\b/i, 'USE (changes the session default database)'],
];

// Transactions go through transaction(): it guarantees ROLLBACK on throw and never retries.
const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|XA)\b/i;

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
 * Scan SQL text outside string literals, quoted identifiers and comments: count `?`
 * placeholders (`??` identifier placeholders count as one), find a second statement and
 * statements that pin a proxied session.
 */
export function scanSql(sql: string): SqlShape {
  let code = '';
  let placeholders = 0;
  let statementEnded = false;
  const n = sql.length;
  for (let i = 0; i < n; i++) {
    const c = sql[i];
    if (c === '\'' || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      if (end < 0) return invalid(`unterminated ${c === '`' ? 'quoted identifier' : 'string literal'}`, sql);
      if (statementEnded) return invalid('multiple statements are not allowed: send one statement per query() call', sql);
      code += c === '`' ? '`x`' : "''";
      i = end;
      continue;
    }
    if ((c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /\s/.test(sql[i + 2]))) || c === '#') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end;
      code += ' ';
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      if (sql[i + 2] === '!') return invalid('executable comments (/*! ... */) are not allowed', sql);
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return invalid('unterminated comment', sql);
      i = end + 1;
      code += ' ';
      continue;
    }
    if (c === ';') {
      statementEnded = true;
      continue;
    }
    if (/\s/.test(c)) {
      code += c;
      continue;
    }
    if (statementEnded) return invalid('multiple statements are not allowed: send one statement per query() call', sql);
    if (c === '?') {
      placeholders++;
      if (sql[i + 1] === '?') i++;
    }
    code += c;
  }
  if (TRANSACTION_CONTROL.test(code)) {
    return invalid('transaction control statements are not accepted by query(): use transaction(fn), which commits, or rolls back when fn throws', sql);
  }
  for (const [pattern, what] of PINNING_PATTERNS) {
    if (pattern.test(code)) {
      return {
        placeholders,
        problem: new DbError('DB_PINNING_RISK', `${what} pin the client to one database connection behind RDS Proxy and are not accepted; ` +
          `put session settings in the proxy's initQuery (${fingerprint(sql)})`, false),
      };
    }
  }
  return { placeholders };
}

function invalid(reason: string, sql: string): SqlShape {
  return { placeholders: 0, problem: new DbError('DB_INVALID_SQL', `${reason} (${fingerprint(sql)})`, false) };
}

/** Index of the quote closing the literal opened at `start`, honouring doubled quotes and backslash escapes. */
function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === '\\' && quote !== '`') {
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
