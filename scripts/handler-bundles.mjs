// How a Lambda handler is bundled, in one place: the build (scripts/bundle-handlers.mjs)
// and the benchmarks that report bundle sizes (bench/bundle-report.ts) both use it, so a
// reported size is always the size of what ships.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const SOURCE_ROOT = join(ROOT, 'lambda-src');
export const ASSET_ROOT = join(ROOT, 'assets');
// Folders that hold library code shared by handlers, never a handler of their own.
const LIBRARY_FOLDERS = new Set(['shared']);
// Client modules of lambda-src/shared/aws whose service answers XML (the query protocol).
const XML_CLIENTS = ['lambda-src/shared/aws/sns.ts'];
const PARSER_SHIM = join(ROOT, 'scripts', 'bundle-shims', 'aws-lite-parser.js');

/**
 * aws-lite bundles two parsers it requires only when a call needs them: a DynamoDB attribute
 * marshaller, which our clients never use (awsjson: false), and an XML parser, which only XML
 * services (SNS) use. V8 still parses every bundled byte at each cold start (about 5 ms of
 * CPU per 100 KB), so both are replaced by a shim that fails loudly, the XML parser only in
 * bundles that include no XML client.
 */
function awsLiteParsers({ xml }) {
  return {
    name: 'aws-lite-parsers',
    setup(b) {
      b.onResolve({ filter: /[\\/]_vendor[\\/]aws$/ }, (args) => (args.importer.includes('@aws-lite') ? { path: PARSER_SHIM } : undefined));
      if (xml) return;
      b.onResolve({ filter: /[\\/]_vendor[\\/]xml$/ }, (args) => (args.importer.includes('@aws-lite') ? { path: PARSER_SHIM } : undefined));
    },
  };
}

/** Every folder below lambda-src with an index.ts is a handler entry (e.g. `examples/place-order`). */
export function findHandlerEntries(dir = SOURCE_ROOT) {
  const entries = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory() || LIBRARY_FOLDERS.has(name) || name === 'node_modules') continue;
    if (existsSync(join(path, 'index.ts'))) entries.push(relative(SOURCE_ROOT, path));
    entries.push(...findHandlerEntries(path));
  }
  return entries;
}

/**
 * Bundle one handler: Node 22, CommonJS, minified, AWS SDK v3 external (no handler loads
 * it; the runtime has it), external source map. A handler may add esbuild options (alias,
 * plugins) in lambda-src/<entry>/bundle.config.mjs. With `write: false` nothing is written
 * and the size report is computed in memory. `outdir` and `variant` (extra esbuild options,
 * plugins appended) let bench/init-time build the same handler another way.
 *
 * @returns {{ file: string, bytes: number, inputs: Record<string, number> }} the bundle's
 *   path, its size and the bytes each input contributes
 */
export async function bundleHandler(entry, { write = true, outdir = join(ASSET_ROOT, entry), variant = {} } = {}) {
  const outfile = join(outdir, 'index.js');
  const configFile = join(SOURCE_ROOT, entry, 'bundle.config.mjs');
  const extra = existsSync(configFile) ? (await import(configFile)).default : {};
  if (write) rmSync(outdir, { recursive: true, force: true });
  const options = {
    ...extra,
    entryPoints: [join(SOURCE_ROOT, entry, 'index.ts')],
    outfile,
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
    ...variant,
  };
  // A first pass, in memory, tells whether the handler uses an XML client.
  const graph = await build({ ...options, write: false, sourcemap: false, plugins: [...(extra.plugins ?? []), ...(variant.plugins ?? [])] });
  const xml = Object.keys(graph.metafile.inputs).some((input) => XML_CLIENTS.includes(relative(ROOT, join(process.cwd(), input))));
  const result = await build({ ...options, write, plugins: [...(extra.plugins ?? []), ...(variant.plugins ?? []), awsLiteParsers({ xml })] });
  const output = result.metafile.outputs[relative(process.cwd(), outfile)] ?? Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([input, info]) => [input, info.bytesInOutput]));
  return { file: outfile, bytes: output.bytes, inputs };
}
