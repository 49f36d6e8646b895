import Module from 'node:module';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * jose 6 is ESM-only, and Jest 30 on Node 22 cannot require ESM. Tests get it as a
 * CommonJS bundle built in memory by the project's esbuild, so they sign tokens with the
 * real library rather than a hand-written signer.
 */
export function loadJose(): typeof import('jose', { with: { 'resolution-mode': 'import' } }) {
  const entry = require.resolve('jose', { paths: [process.cwd()] });
  const out = buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', target: 'node22', write: false, logLevel: 'silent' });
  const m = new Module(path.join(path.dirname(entry), 'jose-cjs-bundle.js'));
  (m as unknown as { _compile(code: string, file: string): void })._compile(out.outputFiles[0].text, m.id);
  return m.exports as typeof import('jose', { with: { 'resolution-mode': 'import' } });
}
