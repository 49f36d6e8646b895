// Bundles every entry lambda-src/<name>/index.ts (Lambda handlers and container programs, and nested
// lambda-src/<group>/<name>/index.ts) into assets/<same path>/index.js with local esbuild
// (settings in scripts/handler-bundles.mjs). Consumers of the npm package get these
// bundles and need neither esbuild nor Docker.
//
//   node scripts/bundle-handlers.mjs            bundle all handlers
//   node scripts/bundle-handlers.mjs authorizer bundle the handlers whose path contains "authorizer"
//   node scripts/bundle-handlers.mjs --quiet    no size table
import { bundleHandler, findBundleEntries } from './handler-bundles.mjs';

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const filters = args.filter((a) => !a.startsWith('--'));

const entries = (await findBundleEntries()).filter(({ entry }) => filters.length === 0 || filters.some((f) => entry.includes(f)));
if (entries.length === 0) {
  console.error(`bundle-handlers: no handler entries found under lambda-src/${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const rows = [];
for (const { entry, kind } of entries) {
  const { bytes, inputs } = await bundleHandler(entry);
  // Own code: everything that is not a package, including the settings contracts under src/.
  const ownBytes = Object.entries(inputs).filter(([input]) => !input.includes('node_modules/')).reduce((sum, [, b]) => sum + b, 0);
  rows.push({ handler: entry, kind, totalKB: (bytes / 1024).toFixed(1), ownCodeKB: (ownBytes / 1024).toFixed(1) });
}

if (!quiet) {
  console.log('bundle-handlers: minified size of each assets/<handler>/index.js (AWS SDK external in Lambda handlers)');
  console.table(rows);
}
