// jsii puts only the root README into the assembly, yet the construct guides
// (src/<group>/README.md) and lab guides (examples/<lab>/README.md) it links to carry
// examples too. This writes them into a companion assembly, `cdk-service-integration-readmes`,
// each as the README of a submodule named after its folder (`...-readmes.src.mesh`): the
// shape jsii-rosetta reads per-module READMEs in (aws-cdk-lib's are submodule READMEs). The
// companion depends on the package, so
//
//   node scripts/construct-readmes-assembly.mjs
//   jsii-rosetta extract --strict . .tmp/rosetta/construct-readmes
//
// compiles every one of their ```ts blocks against the built package with the fixtures of
// rosetta/, in the same run as the package's own snippets. It has its own name (rosetta
// fingerprints types per assembly name) and folder (the package's tablet, .jsii.tabl.json,
// keeps only the package's snippets). Run after `npx projen compile`.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.tmp', 'rosetta', 'construct-readmes');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const assemblyFile = join(root, '.jsii');
if (!existsSync(assemblyFile)) {
  console.error('construct-readmes-assembly: .jsii is missing; run `npx projen compile` first');
  process.exit(1);
}
const { jsiiVersion } = JSON.parse(readFileSync(assemblyFile, 'utf8'));

/** README.md of every folder directly under src/ and examples/. */
function guides() {
  return ['src', 'examples'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, dir, entry.name, 'README.md')))
      .map((entry) => join(dir, entry.name)));
}

const companion = `${pkg.name}-readmes`;
const submodules = Object.fromEntries(guides().map((folder) => [
  `${companion}.${folder.split('/').join('.')}`,
  { readme: { markdown: readFileSync(join(root, folder, 'README.md'), 'utf8') } },
]));

// The folder is kept between runs: rosetta reuses the translations in its tablet
// (.jsii.tabl.json) for snippets whose source and types did not change.
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, '.jsii'), JSON.stringify({
  schema: 'jsii/0.10.0',
  name: companion,
  version: pkg.version,
  jsiiVersion,
  license: pkg.license,
  description: `READMEs of the construct and lab folders of ${pkg.name} (rosetta input only)`,
  fingerprint: '',
  submodules,
  types: {},
}, null, 2));
// Rosetta compiles a snippet with the dependencies of its assembly's package.json (found
// through node_modules) and the fixtures of its folder: link both to the package.
writeFileSync(join(outDir, 'package.json'), JSON.stringify({
  name: companion,
  version: pkg.version,
  private: true,
  dependencies: { [pkg.name]: pkg.version },
}, null, 2));
mkdirSync(join(outDir, 'node_modules'), { recursive: true });
for (const [link, target] of [[join('node_modules', pkg.name), root], ['rosetta', join(root, 'rosetta')]]) {
  rmSync(join(outDir, link), { force: true });
  symlinkSync(relative(dirname(join(outDir, link)), target), join(outDir, link));
}

console.log(`construct-readmes-assembly: ${Object.keys(submodules).length} READMEs -> ${relative(root, outDir)}`);
