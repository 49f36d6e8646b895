// Extra esbuild options for this bundle, read by scripts/handler-bundles.mjs. Minified class
// names would make the WARN of a failed record say errorName "D" instead of
// "MessageFormatError": keep names (+0.6 KB; bench: npx projen bench bundle-sizes).
export default { keepNames: true };
