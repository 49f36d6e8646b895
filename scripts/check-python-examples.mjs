// Python spot check of what jsii publishes, run by the test command after `rosetta:extract`
// (post-compile) has compiled and translated every snippet into the tablets:
//
//   node scripts/check-python-examples.mjs
//
// 1. jsii-pacmak generates the Python package (code only, nothing is installed) and every
//    generated module is byte-compiled with `python3 -m py_compile`.
// 2. Every translated snippet (README, construct and lab guides, @examples) must be Python:
//    free of rosetta's marks for code it could not translate, byte-compilable, and with
//    all the comments of the TypeScript.
// 3. jsii-rosetta transliterates the README to Python, and the section of each construct
//    must hold a Python example that instantiates it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const workDir = join(root, '.tmp', 'python-examples');
const bin = (name) => join(root, 'node_modules', '.bin', name);
// The package's tablet and the one of the construct and lab guides' companion assembly.
const tablets = [join(root, '.jsii.tabl.json'), join(root, '.tmp', 'rosetta', 'construct-readmes', '.jsii.tabl.json')];

// What rosetta writes where it could not translate: the disclaimer above a snippet that did
// not compile, and the `(SyntaxKind source` placeholder for syntax it has no translation for.
const NON_COMPILING = 'Example automatically generated from non-compiling source';
const syntaxKinds = Object.keys(ts.SyntaxKind).filter((k) => Number.isNaN(Number(k)));
const UNSUPPORTED_SYNTAX = new RegExp(`\\((?:${syntaxKinds.join('|')})\\s`);

function untranslatedMarks(code) {
  return [
    ...(code.includes(NON_COMPILING) ? [`"${NON_COMPILING}"`] : []),
    ...(code.match(UNSUPPORTED_SYNTAX) ?? []).map((m) => `untranslated syntax "${m.trim()}"`),
  ];
}

/** Statements that share a line: rosetta renders them into one Python line (`a.ba.c`). */
function statementsSharingALine(source) {
  const file = ts.createSourceFile('snippet.ts', source, ts.ScriptTarget.Latest, true);
  const shared = [];
  const visit = (node) => {
    const lines = (node.statements ?? []).map((s) => file.getLineAndCharacterOfPosition(s.getStart(file)).line);
    lines.forEach((line, i) => { if (i > 0 && line === lines[i - 1]) shared.push(line + 1); });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return shared;
}

/** Comments in a TypeScript snippet (the translation must keep every one). */
function commentCount(source) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  let count = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) count += 1;
  }
  return count;
}

/** Where a snippet of a tablet comes from, in words a reader can find. */
function snippetLabel({ api, field }) {
  if (api.api === 'moduleReadme') {
    const [, ...folder] = api.moduleFqn.split('.');
    return `${folder.length > 0 ? `${folder.join('/')}/` : ''}README.md line ${field.line}`;
  }
  return `@example of ${api.fqn.split('.').pop()}`;
}

const timings = [];
/** Runs a phase and records its wall time for the summary line. */
function timed(phase, fn) {
  const start = performance.now();
  try {
    return fn();
  } finally {
    timings.push(`${phase} ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

function filesUnder(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [join(dir, e.name)] : []);
}

const missing = [join(root, '.jsii'), ...tablets].filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`check-python-examples: ${missing.map((f) => relative(root, f)).join(', ')} missing; run \`npx projen compile && npx projen post-compile\` first`);
  process.exit(1);
}
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
const pythonEnv = { ...process.env, PYTHONPYCACHEPREFIX: join(workDir, 'pycache') };
const problems = [];

// 1. The Python package jsii-pacmak would publish, byte-compiled.
const packageDir = join(workDir, 'dist');
timed('pacmak', () => run(bin('jsii-pacmak'), ['--target', 'python', '--code-only', '--outdir', packageDir]));
const modules = filesUnder(packageDir, '.py');
if (modules.length === 0) problems.push(`jsii-pacmak generated no .py file under ${relative(root, packageDir)}`);
timed('py_compile', () => {
  try {
    run('python3', ['-m', 'py_compile', ...modules], { env: pythonEnv });
  } catch (err) {
    problems.push(`generated package: python3 -m py_compile failed: ${err.stderr || err.message}`);
  }
});

// 2. Every translated snippet of both tablets.
const snippets = tablets.flatMap((file) => Object.values(JSON.parse(readFileSync(file, 'utf8')).snippets));
const snippetDir = join(workDir, 'snippets');
mkdirSync(snippetDir);
const snippetFiles = new Map();
function checkSnippet(snippet) {
  const label = snippetLabel(snippet.location);
  const python = snippet.translations.python?.source;
  if (python === undefined) {
    problems.push(`${label}: no Python translation`);
    return;
  }
  const typescript = snippet.translations.$.source;
  for (const mark of untranslatedMarks(python)) problems.push(`${label}: ${mark}`);
  for (const line of statementsSharingALine(typescript)) {
    problems.push(`${label}: statements share line ${line} of the snippet; Python gets them run together on one line`);
  }
  const file = join(snippetDir, `${label.replace(/[^\w.-]+/g, '_')}.py`);
  writeFileSync(file, python);
  snippetFiles.set(file, { label, comments: commentCount(typescript) });
}
timed('snippets', () => {
  snippets.forEach(checkSnippet);
  const compiled = JSON.parse(run('python3', [join(root, 'scripts', 'compile-python-snippets.py'), ...snippetFiles.keys()], { env: pythonEnv }));
  for (const [file, { label, comments }] of snippetFiles) {
    const { error, comments: translated } = compiled[file];
    if (error) problems.push(`${label}: its Python translation does not byte-compile: ${error}`);
    // Rosetta drops a comment after the last statement or the last property of an object.
    else if (translated < comments) problems.push(`${label}: ${comments - translated} of its ${comments} comments are lost in Python (move them above a statement)`);
  }
});

// 3. The README transliterated to Python. transliterate writes .jsii.python next to the
// assembly, so it works on a copy; the tablet there makes it reuse rosetta:extract's work.
const assemblyDir = join(workDir, 'assembly');
mkdirSync(assemblyDir);
for (const file of ['.jsii', 'package.json', '.jsii.tabl.json']) copyFileSync(join(root, file), join(assemblyDir, file));
for (const name of ['lib', 'rosetta']) symlinkSync(join(root, name), join(assemblyDir, name));
timed('transliterate', () => {
  try {
    run(bin('jsii-rosetta'), ['transliterate', '--language', 'python', '--strict', assemblyDir]);
  } catch (err) {
    problems.push(`jsii-rosetta transliterate failed: ${err.stderr || err.message}`);
  }
});
const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8'));
const readme = existsSync(join(assemblyDir, '.jsii.python'))
  ? JSON.parse(readFileSync(join(assemblyDir, '.jsii.python'), 'utf8')).readme.markdown
  : '';

// Constructs are the assembly's concrete Construct classes (an abstract base such as
// AlarmedConstruct is never instantiated). One that users only get from another
// (FanoutTopic.addQueue returns a FanoutQueue) is shown by the other's example.
const isConstruct = (fqn) => fqn === 'constructs.Construct' || (fqn in assembly.types && isConstruct(assembly.types[fqn].base ?? ''));
const constructs = Object.values(assembly.types)
  .filter((t) => t.kind === 'class' && !t.abstract && isConstruct(t.fqn)).map((t) => t.name);
const handedOut = new Set(Object.values(assembly.types)
  .filter((t) => constructs.includes(t.name))
  .flatMap((t) => [...(t.properties ?? []).map((p) => p.type), ...(t.methods ?? []).map((m) => m.returns?.type)])
  .map((type) => JSON.stringify(type ?? {}).match(/"fqn":"[^"]*\.(\w+)"/)?.[1])
  .filter((name) => constructs.includes(name)));

// The README's construct sections: a `###` heading naming constructs, and its examples.
const covered = new Set();
for (const section of readme.split(/^(?=### )/m).slice(1)) {
  const heading = section.slice(4, section.indexOf('\n')).trim();
  const named = constructs.filter((name) => new RegExp(`\\b${name}\\b`).test(heading));
  if (named.length === 0) continue;
  const examples = [...section.matchAll(/^```python\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  if (examples.length === 0) problems.push(`README "### ${heading}": no Python example`);
  for (const mark of examples.flatMap(untranslatedMarks)) problems.push(`README "### ${heading}": ${mark}`);
  for (const name of named) {
    if (examples.some((code) => code.includes(`${name}(self, `))) covered.add(name);
    else problems.push(`README "### ${heading}": no Python example instantiates ${name}`);
  }
}
for (const name of constructs.filter((n) => !covered.has(n) && !handedOut.has(n))) {
  problems.push(`${name}: no README section with a Python example for it`);
}
const leftOver = [...readme.matchAll(/^```(ts|typescript)\b/gm)].length;
if (leftOver > 0) problems.push(`README: ${leftOver} TypeScript block(s) left untranslated in the Python README`);

if (problems.length > 0) {
  console.error(`check-python-examples: ${problems.length} problem(s) (work files kept in ${relative(root, workDir)}):`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
rmSync(workDir, { recursive: true, force: true });
const through = [...handedOut].filter((name) => !covered.has(name));
console.log(`check-python-examples: ${modules.length} generated Python modules and ${snippets.length} translated snippets `
  + `byte-compile; the Python README shows ${covered.size} constructs (${[...covered].join(', ')}; ${through.join(', ')} through them) `
  + `[${timings.join(', ')}]`);
