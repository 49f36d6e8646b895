// The lab's database handlers bundle mysql2 the way the library's db-query runtime does.
export { default } from '../../../db-query/bundle.config.mjs';
