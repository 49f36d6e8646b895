// Bundled like the fan-out consumer it is built on: names kept, so failed records are
// logged with readable error names.
export { default } from '../../../fanout-consumer/bundle.config.mjs';
