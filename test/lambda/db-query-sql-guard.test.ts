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

  test.each([
    ['SELECT `GET_LOCK`(\'x\', 10)', 'named locks (GET_LOCK())'],
    ['SELECT get_lock /* c */ (\'x\', 10)', 'named locks (GET_LOCK())'],
    ['SELECT "get_lock"(\'x\', 10)', 'named locks (GET_LOCK())'],
    ['SELECT `IS_FREE_LOCK`(\'x\') FROM t', 'named locks (IS_FREE_LOCK())'],
    ['SELECT `RELEASE_ALL_LOCKS`()', 'named locks (RELEASE_ALL_LOCKS())'],
    ['SELECT `found_rows`()', 'FOUND_ROWS()'],
    ['SELECT @é := 1', 'user variables'],
    ['SELECT @`v` := 1, @\'w\' := 2', 'user variables'],
    ['SELECT 1 INTO @東京', 'user variables'],
    ['CALL refresh_totals(?)', 'stored procedure calls (CALL)'],
    ['  call p()', 'stored procedure calls (CALL)'],
    ['HANDLER items OPEN', 'HANDLER'],
    ['CREATE OR REPLACE TEMPORARY TABLE tmp (a INT)', 'temporary tables'],
    ['UNLOCK TABLES', 'LOCK TABLES'],
    ['EXECUTE IMMEDIATE \'SELECT 1\'', 'server-side prepared statements'],
  ])('session pinning and locking hidden in quoted, spaced or non-ASCII names is refused: %s', (sql, what) => {
    expect(refusal(sql, sql.includes('?') ? [1] : undefined)).toMatchObject({ code: 'DB_PINNING_RISK', message: expect.stringContaining(what) });
  });

  test.each([
    ['DO GET_LOCK(\'x\', 0)', 'DO statements'],
    ['FLUSH TABLES WITH READ LOCK', 'FLUSH statements'],
    ['LOAD DATA LOCAL INFILE \'/etc/passwd\' INTO TABLE t', 'LOAD statements'],
    ['INSTALL PLUGIN audit SONAME \'audit.so\'', 'INSTALL statements'],
    ['KILL 12', 'KILL statements'],
    ['\'x\'', 'statements of this kind'],
  ])('statement kinds outside the allow-list are refused, naming the kind: %s', (sql, kind) => {
    expect(refusal(sql)).toMatchObject({
      code: 'DB_INVALID_SQL',
      message: expect.stringContaining(`${kind} are not accepted: query() runs SELECT, INSERT, UPDATE, DELETE, REPLACE`),
    });
  });

  test('MariaDB executable comments (/*M! ... */) are refused like MySQL ones', () => {
    expect(refusal('SELECT 1 /*M!100000 + GET_LOCK(\'x\', 0) */')).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('executable comments') });
    expect(refusal('SELECT 1 /*m! 1 */')).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('executable comments') });
  });

  test('a quote escaped with a backslash is refused: under NO_BACKSLASH_ESCAPES the literal would end there and hide code', () => {
    expect(refusal('SELECT \'a\\\' , GET_LOCK(\'x\', 1), \'\'')).toMatchObject({ code: 'DB_INVALID_SQL', message: expect.stringContaining('double the quote') });
    expect(refusal('SELECT \'back\\\\\' AS b, \'it\'\'s\' AS c')).toBeUndefined();
  });

  test.each([
    'SELECT \'GET_LOCK(\'\'x\'\', 1)\', "@x", \'/*!50000 x */ CALL HANDLER\' FROM t',
    'SELECT get_lock, found_rows FROM locks',
    'SELECT café, `東京` FROM `données` WHERE `call` = \'HANDLER\'',
    '(SELECT 1) UNION (SELECT 2)',
    'WITH recent AS (SELECT id FROM t) SELECT * FROM recent',
    'CREATE TABLE IF NOT EXISTS t (temporary INT, handler INT)',
    'INSERT INTO t (a) VALUES (\'CALL me @home; HANDLER\')',
    'SHOW TABLES',
    'EXPLAIN SELECT 1',
    'SELECT @@version, @@session.time_zone',
    'SELECT a FROM t FOR UPDATE',
  ])('ordinary statements with the same words in literals and identifiers are accepted: %s', (sql) => {
    expect(refusal(sql)).toBeUndefined();
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
