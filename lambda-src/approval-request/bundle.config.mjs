// Extra esbuild options for this bundle, read by scripts/handler-bundles.mjs: keep class
// names, because error names reach the logs and (as a task's error) Step Functions'
// execution history, where a minified "ke" tells nobody anything.
export default { keepNames: true };
