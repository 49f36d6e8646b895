import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The folder holding the pre-bundled handlers. Both `src/core` (tests, ts-node) and
 * `lib/core` (the published package) sit two levels below the package root.
 */
export const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/** The handler export of every bundle: `assets/<name>/index.js` exports `handler`. */
export const BUNDLED_HANDLER = 'index.handler';

/**
 * The Lambda code of a handler bundled at build time from `lambda-src/<name>/index.ts`.
 * Consumers of the npm package get the bundle in `assets/`, so they need neither esbuild
 * nor Docker.
 *
 * @param name the handler's folder below `lambda-src/`, e.g. `circuit-breaker`
 */
export function bundledHandlerCode(name: string): lambda.Code {
  const dir = bundledHandlerDir(name);
  if (!existsSync(path.join(dir, 'index.js'))) {
    throw new Error(
      `The bundled handler '${name}' is missing: expected ${path.join(dir, 'index.js')}. ` +
      'In a checkout of cdk-service-integration run `npx projen bundle:handlers` (part of every build); ' +
      'in an installed package this means the package is broken - reinstall it.',
    );
  }
  return lambda.Code.fromAsset(dir);
}

/** The folder of a bundled handler (not checked for existence). */
export function bundledHandlerDir(name: string): string {
  if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(name)) {
    throw new Error(`bundled handler name must be lower-case kebab-case folders below lambda-src/, got '${name}'`);
  }
  return path.join(ASSETS_DIR, name);
}
