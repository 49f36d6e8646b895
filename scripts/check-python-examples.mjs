// Python spot check of what jsii publishes, run by the test command after `rosetta:extract`
// (post-compile) has compiled and translated every snippet into .jsii.tabl.json:
//
//   node scripts/check-python-examples.mjs
//
// 1. jsii-pacmak generates the Python package (code only, nothing is installed) and every
//    generated module is byte-compiled with `python3 -m py_compile`.
// 2. jsii-rosetta transliterates the assembly to Python (README and @examples), and each
//    construct's README example must come out as Python: present, instantiating the
//    construct, and free of rosetta's marks for code it could not translate.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const workDir = join(root, '.tmp', 'python-examples');
const bin = (name) => join(root, 'node_modules', '.bin', name);

// What rosetta writes where it could not translate: the disclaimer it puts above a snippet
// that did not compile, and the `(SyntaxKind source` placeholder for unsupported syntax.
const NON_COMPILING = 'Example automatically generated from non-compiling source';
const syntaxKinds = Object.keys(ts.SyntaxKind).filter((k) => Number.isNaN(Number(k)));
const UNSUPPORTED_SYNTAX = new RegExp(`\\((?:${syntaxKinds.join('|')})\\s`);

function untranslatedMarks(code) {
  return [
    ...(code.includes(NON_COMPILING) ? [`"${NON_COMPILING}"`] : []),
    ...(code.match(UNSUPPORTED_SYNTAX) ?? []).map((m) => `untranslated syntax "${m.trim()}"`),
  ];
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

function filesUnder(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [join(dir, e.name)] : []);
}

const tablet = join(root, '.jsii.tabl.json');
if (!existsSync(join(root, '.jsii')) || !existsSync(tablet)) {
  console.error('check-python-examples: .jsii or .jsii.tabl.json is missing; run `npx projen compile` first');
  process.exit(1);
}
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
const problems = [];

// 1. The Python package jsii-pacmak would publish, byte-compiled.
const pythonDir = join(workDir, 'dist');
run(bin('jsii-pacmak'), ['--target', 'python', '--code-only', '--outdir', pythonDir]);
const modules = filesUnder(pythonDir, '.py');
if (modules.length === 0) problems.push(`jsii-pacmak generated no .py file under ${relative(root, pythonDir)}`);
try {
  run('python3', ['-m', 'py_compile', ...modules], { env: { ...process.env, PYTHONPYCACHEPREFIX: join(workDir, 'pycache') } });
} catch (err) {
  problems.push(`python3 -m py_compile failed:\n${err.stderr || err.message}`);
}

// 2. The assembly transliterated to Python. transliterate writes .jsii.python next to the
// assembly, so it works on a copy; the tablet makes it reuse rosetta:extract's translations.
const assemblyDir = join(workDir, 'assembly');
mkdirSync(assemblyDir);
for (const file of ['.jsii', 'package.json', '.jsii.tabl.json']) copyFileSync(join(root, file), join(assemblyDir, file));
for (const name of ['lib', 'rosetta']) symlinkSync(join(root, name), join(assemblyDir, name));
try {
  run(bin('jsii-rosetta'), ['transliterate', '--language', 'python', '--strict', assemblyDir]);
} catch (err) {
  problems.push(`jsii-rosetta transliterate failed:\n${err.stderr || err.message}`);
}
const original = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8'));
const python = existsSync(join(assemblyDir, '.jsii.python'))
  ? JSON.parse(readFileSync(join(assemblyDir, '.jsii.python'), 'utf8'))
  : { readme: { markdown: '' }, types: {} };

// Constructs are the assembly's Construct classes. A construct users only get from another
// one (FanoutTopic.addQueue returns a FanoutQueue) is shown by that construct's example.
const isConstruct = (fqn) => fqn === 'constructs.Construct' || (original.types[fqn] !== undefined && isConstruct(original.types[fqn].base ?? ''));
const constructs = Object.values(original.types).filter((t) => t.kind === 'class' && isConstruct(t.base ?? '')).map((t) => t.name);
const handedOut = new Set(Object.values(original.types)
  .filter((t) => constructs.includes(t.name))
  .flatMap((t) => [...(t.properties ?? []).map((p) => p.type), ...(t.methods ?? []).map((m) => m.returns?.type)])
  .map((type) => JSON.stringify(type ?? {}).match(/"fqn":"[^"]*\.(\w+)"/)?.[1])
  .filter((name) => constructs.includes(name)));

// The README's construct sections: a `###` heading that names constructs, and its examples.
const sections = python.readme.markdown.split(/^(?=### )/m).slice(1).map((text) => ({
  heading: text.slice(4, text.indexOf('\n')).trim(),
  blocks: [...text.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```/gm)].map(([, language, code]) => ({ language, code })),
}));
const covered = new Set();
let pythonExamples = 0;
for (const section of sections) {
  const named = constructs.filter((name) => new RegExp(`\\b${name}\\b`).test(section.heading));
  if (named.length === 0) continue;
  const examples = section.blocks.filter((b) => b.language === 'python');
  pythonExamples += examples.length;
  if (examples.length === 0) problems.push(`README "### ${section.heading}": no Python example`);
  for (const example of examples) {
    for (const mark of untranslatedMarks(example.code)) problems.push(`README "### ${section.heading}": ${mark}`);
  }
  for (const name of named) {
    if (examples.some((e) => e.code.includes(`${name}(self, `))) covered.add(name);
    else problems.push(`README "### ${section.heading}": no Python example instantiates ${name}`);
  }
}
for (const name of constructs) {
  if (!covered.has(name) && !handedOut.has(name)) problems.push(`${name}: no README section with a Python example for it`);
}
const leftOver = [...python.readme.markdown.matchAll(/^```(ts|typescript)\b/gm)].length;
if (leftOver > 0) problems.push(`README: ${leftOver} TypeScript block(s) left untranslated`);

// Every @example in the API docs, translated.
const apiExamples = Object.values(python.types ?? {}).filter((t) => t.docs?.example);
for (const type of apiExamples) {
  for (const mark of untranslatedMarks(type.docs.example)) problems.push(`@example of ${type.name}: ${mark}`);
}

if (problems.length > 0) {
  console.error(`check-python-examples: ${problems.length} problem(s) (work files kept in ${relative(root, workDir)}):`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
rmSync(workDir, { recursive: true, force: true });
console.log(`check-python-examples: ${modules.length} generated Python modules byte-compile; `
  + `${pythonExamples} README examples cover ${covered.size} constructs (${[...covered].join(', ')}; `
  + `${[...handedOut].join(', ')} through them) and ${apiExamples.length} @examples translate to Python`);
