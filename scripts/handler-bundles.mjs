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
 * Bundle one handler: Node 22, CommonJS, minified, AWS SDK v3 external (the runtime has
 * it), external source map. A handler may add esbuild options (alias, plugins, `external`
 * to replace the SDK default) in lambda-src/<entry>/bundle.config.mjs. An entry whose
 * folder holds a Dockerfile is a container program: the Dockerfile is copied beside the
 * bundle, making assets/<entry>/ the image's build context. With `write: false` nothing
 * is written and the size report is computed in memory.
 *
 * @returns {{ file: string, bytes: number, inputs: Record<string, number> }} the bundle's
 *   path, its size and the bytes each input contributes
 */
export async function bundleHandler(entry, { write = true } = {}) {
  const outdir = join(ASSET_ROOT, entry);
  const outfile = join(outdir, 'index.js');
  const configFile = join(SOURCE_ROOT, entry, 'bundle.config.mjs');
  const extra = existsSync(configFile) ? (await import(configFile)).default : {};
  if (write) rmSync(outdir, { recursive: true, force: true });
  const result = await build({
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
    external: extra.external ?? ['@aws-sdk/*'],
    metafile: true,
    write,
    logLevel: 'warning',
  });
  const dockerfile = join(SOURCE_ROOT, entry, 'Dockerfile');
  if (write && existsSync(dockerfile)) copyFileSync(dockerfile, join(outdir, 'Dockerfile'));
  const output = result.metafile.outputs[relative(process.cwd(), outfile)] ?? Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([input, info]) => [input, info.bytesInOutput]));
  return { file: outfile, bytes: output.bytes, inputs };
}
