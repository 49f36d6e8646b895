import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBundleEntries } from '../helpers/bundle-entries';

// scripts/handler-bundles.mjs: what a bundle entry is comes from its declaration, so no folder
// becomes a container image, or stops being a Lambda handler, by accident.

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bundle-entries-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function entry(name: string, files: Record<string, string>): void {
  mkdirSync(path.join(root, name), { recursive: true });
  writeFileSync(path.join(root, name, 'index.ts'), 'export {};\n');
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, name, file), text);
}

test('an entry is a Lambda handler unless its bundle.config.mjs declares it a container program', () => {
  entry('plain', {});
  entry('with-options', { 'bundle.config.mjs': 'export default { alias: {} };\n' });
  entry('group/program', { 'bundle.config.mjs': "export const kind = 'container-program';\n", 'Dockerfile': 'FROM scratch\n' });
  expect(findBundleEntries(root)).toEqual([
    { entry: 'group/program', kind: 'container-program' },
    { entry: 'plain', kind: 'lambda-handler' },
    { entry: 'with-options', kind: 'lambda-handler' },
  ]);
});

test('a Dockerfile in an entry that does not declare itself a container program is refused', () => {
  entry('image-by-accident', { Dockerfile: 'FROM scratch\n' });
  expect(() => findBundleEntries(root)).toThrow(/image-by-accident: a Dockerfile makes the entry a container image; declare `export const kind = 'container-program'`/);
});

test('a container program without a Dockerfile is refused', () => {
  entry('no-recipe', { 'bundle.config.mjs': "export const kind = 'container-program';\n" });
  expect(() => findBundleEntries(root)).toThrow(/no-recipe: kind 'container-program' needs a Dockerfile/);
});

test('an unknown kind is refused with the kinds that exist', () => {
  entry('odd', { 'bundle.config.mjs': "export const kind = 'lambda';\n" });
  expect(() => findBundleEntries(root)).toThrow(/odd\/bundle.config.mjs: kind must be one of lambda-handler, container-program, got "lambda"/);
});
