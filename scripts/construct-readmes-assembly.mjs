// jsii puts only the root README into the assembly, yet the construct guides
// (src/<group>/README.md) and lab guides (examples/<lab>/README.md) it links to carry
// examples too. This writes them into a second assembly of this package, each as the README
// of a submodule named after its folder (`cdk-service-integration.src.mesh`): the shape
// jsii-rosetta reads per-module READMEs in (aws-cdk-lib's are submodule READMEs), so
//
//   node scripts/construct-readmes-assembly.mjs
//   jsii-rosetta extract --strict . .tmp/rosetta/construct-readmes
//
// compiles every one of their ```ts blocks against the built package, with the fixtures of
// rosetta/. The assembly lives in its own folder so the package's tablet (.jsii.tabl.json)
// holds only the package's own snippets. Run after `npx projen compile`.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

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

const submodules = Object.fromEntries(guides().map((folder) => [
  `${pkg.name}.${folder.split('/').join('.')}`,
  { readme: { markdown: readFileSync(join(root, folder, 'README.md'), 'utf8') } },
]));

// The folder is kept between runs: rosetta reuses the translations in its tablet
// (.jsii.tabl.json) for snippets whose source and types did not change.
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, '.jsii'), JSON.stringify({
  schema: 'jsii/0.10.0',
  name: pkg.name,
  version: pkg.version,
  jsiiVersion,
  license: pkg.license,
  description: `READMEs of ${pkg.name}'s construct and lab folders (rosetta input only)`,
  fingerprint: '',
  submodules,
  types: {},
}, null, 2));
// Rosetta compiles the snippets against this folder as the package: point it at the built
// library and the shared fixtures.
writeFileSync(join(outDir, 'package.json'), JSON.stringify({
  name: pkg.name,
  version: pkg.version,
  main: pkg.main,
  types: pkg.types,
  peerDependencies: pkg.peerDependencies,
}, null, 2));
for (const name of ['lib', 'rosetta']) {
  const link = join(outDir, name);
  rmSync(link, { force: true });
  symlinkSync(relative(outDir, join(root, name)), link);
}

console.log(`construct-readmes-assembly: ${Object.keys(submodules).length} READMEs -> ${relative(root, outDir)}`);
