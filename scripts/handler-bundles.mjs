// How a Lambda handler is bundled, in one place: the build (scripts/bundle-handlers.mjs)
// and the benchmarks that report bundle sizes (bench/bundle-report.ts) both use it, so a
// reported size is always the size of what ships.
import { build } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const SOURCE_ROOT = join(ROOT, 'lambda-src');
export const ASSET_ROOT = join(ROOT, 'assets');
// Folders that hold library code shared by handlers, never a handler of their own.
const LIBRARY_FOLDERS = new Set(['shared']);
// Client modules of lambda-src/shared/aws whose service answers XML (SNS's query protocol,
// S3's REST-XML errors).
const XML_CLIENTS = ['lambda-src/shared/aws/sns.ts', 'lambda-src/shared/aws/s3.ts', 'lambda-src/shared/aws/sts.ts'];
const PARSER_SHIM = join(ROOT, 'scripts', 'bundle-shims', 'aws-lite-parser.js');

/**
 * aws-lite bundles two parsers it requires only when a call needs them: a DynamoDB attribute
 * marshaller, which our clients never use (awsjson: false), and an XML parser, which only XML
 * services (SNS, S3) use. V8 still parses every bundled byte at each cold start (about 5 ms of
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

/**
 * What a bundle is, declared by the entry's bundle.config.mjs (`export const kind = ...`):
 * - `lambda-handler` (the default): runs in the Lambda runtime. The AWS SDK stays external
 *   and no handler loads it (handlers call AWS through lambda-src/shared/aws).
 * - `container-program`: the program of a container image. The image has no SDK, so the
 *   bundle carries whatever it uses; the entry's Dockerfile is copied beside the bundle,
 *   making assets/<entry>/ the image's build context.
 */
export const BUNDLE_KINDS = ['lambda-handler', 'container-program'];

/**
 * Every folder below lambda-src with an index.ts is a bundle entry (e.g. `examples/place-order`),
 * with its declared kind. A Dockerfile must come with the container-program kind and only
 * with it, so no folder becomes an image (or stops being one) by accident.
 *
 * @returns {Promise<Array<{ entry: string, kind: string }>>}
 */
export async function findBundleEntries(dir = SOURCE_ROOT, root = dir) {
  const entries = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory() || LIBRARY_FOLDERS.has(name) || name === 'node_modules') continue;
    if (existsSync(join(path, 'index.ts'))) entries.push({ entry: relative(root, path), kind: await declaredKind(path) });
    entries.push(...await findBundleEntries(path, root));
  }
  return entries;
}

/** The Lambda handler entries (what the benchmarks measure and Lambda functions ship). */
export async function findHandlerEntries(dir = SOURCE_ROOT) {
  return (await findBundleEntries(dir)).filter((e) => e.kind === 'lambda-handler').map((e) => e.entry);
}

async function declaredKind(folder) {
  const configFile = join(folder, 'bundle.config.mjs');
  const kind = (existsSync(configFile) ? (await import(configFile)).kind : undefined) ?? 'lambda-handler';
  const where = relative(ROOT, folder);
  if (!BUNDLE_KINDS.includes(kind)) throw new Error(`${where}/bundle.config.mjs: kind must be one of ${BUNDLE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  const hasDockerfile = existsSync(join(folder, 'Dockerfile'));
  if (kind === 'container-program' && !hasDockerfile) throw new Error(`${where}: kind 'container-program' needs a Dockerfile in the folder (the image's build recipe)`);
  if (kind === 'lambda-handler' && hasDockerfile) throw new Error(`${where}: a Dockerfile makes the entry a container image; declare \`export const kind = 'container-program'\` in its bundle.config.mjs`);
  return kind;
}

/**
 * Bundle one entry: Node 22, CommonJS, minified, external source map. A Lambda handler keeps
 * the AWS SDK v3 external (no handler loads it; the runtime has it); a container program
 * bundles what it imports and gets its Dockerfile copied beside the bundle (see
 * BUNDLE_KINDS). An entry may add esbuild options (alias, plugins) as the default export of
 * lambda-src/<entry>/bundle.config.mjs. With `write: false` nothing is written and the size
 * report is computed in memory. `outdir` and `variant` (extra esbuild options, plugins
 * appended) let bench/init-time build the same handler another way.
 *
 * @returns {{ file: string, bytes: number, inputs: Record<string, number> }} the bundle's
 *   path, its size and the bytes each input contributes
 */
export async function bundleHandler(entry, { write = true, outdir = join(ASSET_ROOT, entry), variant = {} } = {}) {
  const outfile = join(outdir, 'index.js');
  const configFile = join(SOURCE_ROOT, entry, 'bundle.config.mjs');
  const extra = (existsSync(configFile) ? (await import(configFile)).default : undefined) ?? {};
  const kind = await declaredKind(join(SOURCE_ROOT, entry));
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
    external: kind === 'lambda-handler' ? ['@aws-sdk/*'] : [],
    metafile: true,
    logLevel: 'warning',
    ...variant,
  };
  // A first pass, in memory, tells whether the handler uses an XML client.
  const graph = await build({ ...options, write: false, sourcemap: false, plugins: [...(extra.plugins ?? []), ...(variant.plugins ?? [])] });
  const xml = Object.keys(graph.metafile.inputs).some((input) => XML_CLIENTS.includes(relative(ROOT, join(process.cwd(), input))));
  const result = await build({ ...options, write, plugins: [...(extra.plugins ?? []), ...(variant.plugins ?? []), awsLiteParsers({ xml })] });
  if (write && kind === 'container-program') copyFileSync(join(SOURCE_ROOT, entry, 'Dockerfile'), join(outdir, 'Dockerfile'));
  const output = result.metafile.outputs[relative(process.cwd(), outfile)] ?? Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([input, info]) => [input, info.bytesInOutput]));
  return { file: outfile, bytes: output.bytes, inputs };
}
