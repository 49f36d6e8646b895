import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The code of a handler this repository bundles (scripts/handler-bundles.mjs): every
 * `lambda-src/<name>/index.ts` becomes `assets/<name>/index.js`, e.g. `examples/place-order`.
 * Labs hand it to the library's public `HandlerFunction`, as a user hands it their own bundle.
 */
export function bundledCode(name: string): lambda.Code {
  const dir = path.join(__dirname, '..', 'assets', name);
  if (!existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`${dir}/index.js is missing: run \`npx projen bundle:handlers\` (part of every build) first`);
  }
  return lambda.Code.fromAsset(dir);
}
