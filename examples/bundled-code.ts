import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The code of a handler this repository bundles (scripts/handler-bundles.mjs): every
 * `lambda-src/<name>/index.ts` becomes `assets/<name>/index.js`, e.g. `examples/place-order`.
 * Labs hand it to the library's public `HandlerFunction`, as a user hands it their own bundle.
 */
export function bundledCode(name: string): lambda.Code {
  return lambda.Code.fromAsset(bundleDirectory(name));
}

/**
 * The image of a container program this repository bundles: `lambda-src/<name>/` holds its
 * Dockerfile, which the bundling step copies beside the bundle. `cdk synth` only stages the
 * folder; `cdk deploy` builds and pushes the image (Docker is needed then, not before).
 */
export function bundledImage(name: string): ecs.ContainerImage {
  const dir = bundleDirectory(name);
  if (!existsSync(path.join(dir, 'Dockerfile'))) throw new Error(`${dir}/Dockerfile is missing: lambda-src/${name}/ has no Dockerfile`);
  return ecs.ContainerImage.fromAsset(dir);
}

function bundleDirectory(name: string): string {
  const dir = path.join(__dirname, '..', 'assets', name);
  if (!existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`${dir}/index.js is missing: run \`npx projen bundle:handlers\` (part of every build) first`);
  }
  return dir;
}
