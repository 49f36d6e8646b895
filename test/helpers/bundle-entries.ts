import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** A bundle entry under lambda-src and the kind its bundle.config.mjs declares. */
export interface BundleEntry {
  readonly entry: string;
  readonly kind: 'lambda-handler' | 'container-program';
}

const MODULE = path.join(__dirname, '..', '..', 'scripts', 'handler-bundles.mjs');

/**
 * The entries scripts/handler-bundles.mjs finds below `dir` (lambda-src by default), read in a
 * child process: the bundler is an ES module that jest's CommonJS runtime cannot import.
 * A declaration the bundler refuses comes back as the thrown error's message.
 */
export function findBundleEntries(dir?: string): BundleEntry[] {
  const script = `const m = await import(${JSON.stringify(MODULE)});
try { process.stdout.write(JSON.stringify(await m.findBundleEntries(...${JSON.stringify(dir ? [dir] : [])}))); }
catch (e) { process.stderr.write(e.message); process.exit(3); }`;
  try {
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr;
    throw new Error(stderr || String(e));
  }
}
