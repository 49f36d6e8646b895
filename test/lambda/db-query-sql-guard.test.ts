import { assertSafeStatement, DEFAULT_SQL_LIMITS, scanSql } from '../../lambda-src/db-query/sql-guard';

// The statement checks of the data-access runtime, without a database: what is refused,
// with which code, and what is accepted.
function refusal(sql: string, values?: unknown[], limits = DEFAULT_SQL_LIMITS): { code?: string; message: string } | undefined {
  try {
    assertSafeStatement(sql, values as never, limits);
    return undefined;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
}

describe('db-query statement checks', () => {
  test.each([
    ['SELECT * FROM t WHERE a = ? AND b = ?', 2],
    ['SELECT \'?\' AS q, "?" AS r, `?` FROM t WHERE a = ?', 1],
    ['SELECT a FROM t -- trailing ? comment\nWHERE b = ?', 1],
    ['SELECT a FROM t # hash ? comment\nWHERE b = ?', 1],
    ['SELECT /* ? */ a FROM t WHERE b = ?', 1],
    ['SELECT ?? FROM t WHERE id = ?', 2],
    ['SELECT \'it\'\'s ?\', \'back\\\\\' FROM t WHERE x = ?', 1],
    ['SELECT 1;', 0],
    ['SELECT 1 ; -- done', 0],
  ])('counts the placeholders of %s outside literals and comments', (sql, expected) => {
    expect(scanSql(sql)).toEqual({ placeholders: expected });
  });

  test('values without placeholders are refused: SQL must not carry data', () => {
    expect(refusal('SELECT * FROM t WHERE name = \'bob\'', ['bob'])).toMatchObject({
      code: 'DB_INVALID_SQL',
      message: expect.stringContaining('values were given but the SQL has no ? placeholders'),
    });
  });

  test('a placeholder count that differs from the values is refused', () => {
    expect(refusal('SELECT * FROM t WHERE a = ? AND b = ?', [1])).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('2 placeholder(s) but 1 value(s)') });
  });

  test.each([
    'SELECT 1; SELECT 2',
    'SELECT 1;DROP TABLE t',
    'SELECT 1; \'x\'',
    'INSERT INTO t VALUES (1); -- ok\nDELETE FROM t',
  ])('multiple statements are refused: %s', (sql) => {
    expect(refusal(sql)).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('multiple statements') });
  });

  test.each([
    ['SET NAMES latin1', 'SET statements'],
    ['  set session sql_mode = \'\'', 'SET statements'],
    ['SET @x = 1', 'SET statements'],
    ['SELECT @x', 'user variables'],
    ['SELECT a INTO @`v` FROM t', 'user variables'],
    ['CREATE TEMPORARY TABLE tmp (a INT)', 'temporary tables'],
    ['LOCK TABLES t WRITE', 'LOCK TABLES'],
    ['SELECT GET_LOCK(\'x\', 1)', 'named locks'],
    ['SELECT FOUND_ROWS()', 'FOUND_ROWS'],
    ['SELECT SQL_CALC_FOUND_ROWS * FROM t', 'FOUND_ROWS'],
    ['PREPARE s FROM \'SELECT 1\'', 'server-side prepared statements'],
    ['USE other', 'USE'],
  ])('statements that pin a proxied session are refused: %s', (sql, what) => {
    expect(refusal(sql)).toMatchObject({ code: 'DB_PINNING_RISK', message: expect.stringContaining(what) });
  });

  test('an @ inside a string literal or a system variable read is accepted', () => {
    expect(refusal('SELECT id FROM users WHERE email LIKE \'%@example.com\' AND x = ?', [1])).toBeUndefined();
    expect(refusal('SELECT @@version')).toBeUndefined();
  });

  test.each([
    ['CREATE USER IF NOT EXISTS ?@\'%\' IDENTIFIED BY ?', ['app', 'pw']],
    ['GRANT SELECT, INSERT ON items TO ?@\'%\'', ['app']],
    ['DROP USER IF EXISTS \'app\'@\'%\'', undefined],
    ['ALTER USER `app`@`%` IDENTIFIED BY ?', ['pw']],
    ['GRANT SELECT ON t TO "app"@"10.0.%"', undefined],
  ])('a MySQL account name (user@host) is not a user variable: %s', (sql, values) => {
    expect(refusal(sql, values)).toBeUndefined();
  });

  test('a user variable right after a placeholder-free expression is still refused', () => {
    expect(refusal('SELECT 1+@x')).toMatchObject({ code: 'DB_PINNING_RISK', message: expect.stringContaining('user variables') });
    expect(refusal('SELECT (@x)')).toMatchObject({ code: 'DB_PINNING_RISK' });
  });

  test.each(['BEGIN', 'START TRANSACTION', 'COMMIT', 'ROLLBACK', 'SAVEPOINT a', 'XA START \'x\''])('transaction control is refused by query(): %s', (sql) => {
    expect(refusal(sql)).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('use transaction(fn)') });
  });

  test('executable comments and unterminated literals are refused', () => {
    expect(refusal('SELECT /*!50000 SLEEP(1) */ 1')).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('executable comments') });
    expect(refusal('SELECT \'open')).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('unterminated') });
    expect(refusal('SELECT 1 /* open')).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('unterminated comment') });
    expect(refusal('   ')).toMatchObject({ code: 'DB_INVALID_SQL' });
  });

  test('oversized SQL text and oversized values are refused with their size and the limit', () => {
    const limits = { maxSqlBytes: 100, maxPayloadBytes: 1000 };
    expect(refusal(`SELECT ${'1+'.repeat(60)}1`, undefined, limits)).toMatchObject({ code: 'DB_PAYLOAD_TOO_LARGE', message: expect.stringContaining('the limit is 100') });
    expect(refusal('SELECT ?', ['x'.repeat(600)], limits)).toMatchObject({ code: 'DB_PAYLOAD_TOO_LARGE', message: expect.stringContaining('the limit is 1000') });
    expect(refusal('SELECT ?', [Buffer.alloc(600)], limits)).toMatchObject({ code: 'DB_PAYLOAD_TOO_LARGE' });
  });

  test.each([
    [[undefined], 'undefined (pass null for SQL NULL)'],
    [[{ a: 1 }], 'is an object'],
    [[[[1]]], 'is an object or nested list'],
    [[[]], 'empty list'],
    [[Number.NaN], 'is NaN'],
    [[new Date('nope')], 'invalid Date'],
    [[() => 1], 'a function'],
  ])('values that cannot be sent safely are refused: %p', (values, message) => {
    expect(refusal('SELECT ?', values)).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining(message) });
  });

  test('accepted value types: strings, numbers, bigints, booleans, null, Dates, Buffers and flat lists', () => {
    expect(refusal('SELECT ?, ?, ?, ?, ?, ?, ?, ?', ['a', 1.5, 2n, true, null, new Date(), Buffer.from('x'), [1, 'b']])).toBeUndefined();
  });

  test('error messages carry a fingerprint of the SQL, never the SQL text or the values', () => {
    const sql = 'SELECT * FROM t WHERE password = \'hunter2\'';
    const err = refusal(sql, ['hunter2']);
    expect(err?.message).toMatch(/sha256:[0-9a-f]{12}/);
    expect(err?.message).not.toContain('hunter2');
  });
});
