// Bundles every Lambda handler entry lambda-src/<name>/index.ts (and nested
// lambda-src/<group>/<name>/index.ts) into assets/<same path>/index.js with local esbuild:
// Node 22, CommonJS, minified, AWS SDK v3 external (the runtime provides it), external
// source maps. Consumers of the npm package get these bundles and need neither esbuild
// nor Docker.
//
//   node scripts/bundle-handlers.mjs            bundle all handlers
//   node scripts/bundle-handlers.mjs authorizer bundle the handlers whose path contains "authorizer"
//   node scripts/bundle-handlers.mjs --quiet    no size table
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const sourceRoot = join(root, 'lambda-src');
const assetRoot = join(root, 'assets');
// Folders that hold library code shared by handlers, never a handler of their own.
const LIBRARY_FOLDERS = new Set(['shared']);

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const filters = args.filter((a) => !a.startsWith('--'));

/** Every folder below lambda-src that has an index.ts is a handler entry. */
function findEntries(dir) {
  const entries = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory() || LIBRARY_FOLDERS.has(name) || name === 'node_modules') continue;
    if (existsSync(join(path, 'index.ts'))) entries.push(relative(sourceRoot, path));
    entries.push(...findEntries(path));
  }
  return entries;
}

const entries = findEntries(sourceRoot).filter((e) => filters.length === 0 || filters.some((f) => e.includes(f)));
if (entries.length === 0) {
  console.error(`bundle-handlers: no handler entries found under lambda-src/${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const rows = [];
for (const entry of entries) {
  const outdir = join(assetRoot, entry);
  rmSync(outdir, { recursive: true, force: true });
  // A handler may add esbuild options (alias, plugins) in lambda-src/<entry>/bundle.config.mjs.
  const configFile = join(sourceRoot, entry, 'bundle.config.mjs');
  const extra = existsSync(configFile) ? (await import(configFile)).default : {};
  const result = await build({
    ...extra,
    entryPoints: [join(sourceRoot, entry, 'index.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: 'external',
    legalComments: 'linked',
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'warning',
  });
  const output = result.metafile.outputs[relative(root, join(outdir, 'index.js'))];
  const ownBytes = Object.entries(output.inputs)
    .filter(([input]) => input.startsWith('lambda-src/'))
    .reduce((sum, [, info]) => sum + info.bytesInOutput, 0);
  rows.push({ handler: entry, totalKB: (output.bytes / 1024).toFixed(1), ownCodeKB: (ownBytes / 1024).toFixed(1) });
}

if (!quiet) {
  console.log('bundle-handlers: minified size of each assets/<handler>/index.js (AWS SDK external)');
  console.table(rows);
}
