import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Size of one handler bundle, as shipped, and what it is made of. */
export interface BundleReport {
  readonly handler: string;
  /** Minified bundle (AWS SDK external). */
  readonly minifiedKB: number;
  readonly gzipKB: number;
  /** Code that is not a package: lambda-src/ (the handler, lambda-src/shared) and the settings contracts under src/. */
  readonly ownCodeKB: number;
  /** Code from lambda-src/<handler>/ only. */
  readonly handlerCodeKB: number;
  /** Bytes per package or own-code folder, largest first. */
  readonly parts: Array<{ part: string; KB: number }>;
}

const kb = (bytes: number) => +(bytes / 1024).toFixed(1);

/**
 * Bundle `handler` in memory with exactly the build's settings (scripts/handler-bundles.mjs)
 * and report its size and composition. Benchmarks print this instead of re-implementing
 * the esbuild call.
 */
export async function bundleReport(handler: string): Promise<BundleReport> {
  const bundles = await import(path.join(__dirname, '..', '..', 'scripts', 'handler-bundles.mjs')) as {
    bundleHandler(entry: string, options: { write: boolean }): Promise<{ bytes: number; inputs: Record<string, number> }>;
  };
  const { inputs } = await bundles.bundleHandler(handler, { write: false });
  const shipped = path.join(__dirname, '..', '..', 'assets', handler, 'index.js');
  let code: Buffer;
  try {
    code = readFileSync(shipped);
  } catch {
    throw new Error(`${shipped} is missing: run \`node scripts/bundle-handlers.mjs ${handler}\` first`);
  }
  const parts = new Map<string, number>();
  let own = 0;
  let handlerOnly = 0;
  for (const [file, bytes] of Object.entries(inputs)) {
    if (!file.includes('node_modules/')) own += bytes;
    if (file.startsWith(`lambda-src/${handler}/`)) handlerOnly += bytes;
    const part = file.startsWith(`lambda-src/${handler}/`) ? `lambda-src/${handler} (own code)`
      : !file.includes('node_modules/') ? `${file.split('/').slice(0, 2).join('/')} (own code)`
        : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file);
    parts.set(part, (parts.get(part) ?? 0) + bytes);
  }
  return {
    handler,
    minifiedKB: kb(code.length),
    gzipKB: kb(gzipSync(code).length),
    ownCodeKB: kb(own),
    handlerCodeKB: kb(handlerOnly),
    parts: [...parts.entries()].sort((a, b) => b[1] - a[1]).map(([part, bytes]) => ({ part, KB: kb(bytes) })),
  };
}
