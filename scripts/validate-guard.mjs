// Checks templates against the AWS Control Tower proactive controls (cfn-guard), offline,
// with the reviewed exception list: the external judge of DESIGN decision 3.
//
//   node scripts/validate-guard.mjs [options] <dir|file.template.json> ...
//
//   --exceptions <file>  the reviewed exception list (default: guard-exceptions.json)
//   --rules <path>       guard rule file or folder, repeatable (default: every Control Tower control)
//   --warn-stale         report stale exceptions without failing (for a run over a subset of templates)
//   --verbose            also list the excepted findings
//   --table              print the finding count per template and control (before exceptions)
//
// Exit code 1 when a finding is not covered by an exception, or an exception covers no
// finding (stale); 2 when the check itself cannot run.
import { relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { applyExceptions, loadExceptions } from './guard-exceptions.mjs';
import { CONTROL_TOWER_RULES, controlIds, evaluate, ruleFiles } from './guard-findings.mjs';
import { findTemplates } from './template-files.mjs';

const { values: options, positionals: targets } = parseArgs({
  allowPositionals: true,
  options: {
    'exceptions': { type: 'string', default: 'guard-exceptions.json' },
    'rules': { type: 'string', multiple: true },
    'warn-stale': { type: 'boolean', default: false },
    'verbose': { type: 'boolean', default: false },
    'table': { type: 'boolean', default: false },
  },
});

try {
  process.exit(main());
} catch (err) {
  console.error(`validate-guard: ${err.message}`);
  process.exit(2);
}

function main() {
  if (targets.length === 0) throw new Error('usage: validate-guard.mjs [--exceptions file] [--rules path]... <dir|template.json> ...');
  const templates = findTemplates(targets);
  if (templates.length === 0) throw new Error(`no *.template.json found in ${targets.join(', ')}`);
  const rules = ruleFiles(options.rules ?? [CONTROL_TOWER_RULES]);
  if (rules.length === 0) throw new Error(`no *.guard rule files in ${options.rules.join(', ')}`);

  const exceptions = loadExceptions(options.exceptions, controlIds(rules));
  // Exceptions name templates relative to the project root, with forward slashes.
  const findings = evaluate(rules, templates).map((f) => ({ ...f, template: projectPath(f.template) }));
  const { excepted, unlisted, stale } = applyExceptions(findings, exceptions);

  if (options.table) printTable(findings);
  for (const template of templates.map(projectPath)) {
    const failing = unlisted.filter((f) => f.template === template);
    const covered = excepted.filter((e) => e.finding.template === template);
    console.log(`${failing.length === 0 ? 'ok  ' : 'FAIL'} ${template}: ${failing.length} unlisted findings, ${covered.length} excepted`);
    for (const f of failing) {
      console.log(`       ${f.control} ${f.resource}${f.resourceType ? ` (${f.resourceType})` : ''}: ${f.title}`);
      console.log(`         at ${f.locations.slice(0, 3).join(', ') || '-'}; fix: ${f.fix || '-'}`);
    }
    if (options.verbose) {
      for (const { finding: f, exception } of covered) console.log(`       excepted ${f.control} ${f.resource} by ${exception.id}`);
    }
  }
  for (const e of stale) {
    console.log(`${options['warn-stale'] ? 'WARN' : 'FAIL'} stale exception ${e.id} (${e.control}, templates ${e.templates.join(' ')}, resources ${e.resources.join(' ')}): `
      + 'it covers no finding any more; remove it from the list');
  }
  const staleFails = options['warn-stale'] ? 0 : stale.length;
  console.log(`validate-guard: ${rules.length} rule files, ${templates.length} templates, ${findings.length} findings: `
    + `${excepted.length} excepted, ${unlisted.length} unlisted, ${stale.length} stale exceptions`);
  return unlisted.length + staleFails > 0 ? 1 : 0;
}

function projectPath(file) {
  return relative(process.cwd(), file).split(sep).join('/');
}

function printTable(findings) {
  const counts = new Map();
  for (const f of findings) {
    const key = `${f.template}\t${f.control}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log('findings per template and control (before exceptions):');
  for (const [key, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const [template, control] = key.split('\t');
    console.log(`  ${String(count).padStart(3)}  ${control.padEnd(30)} ${template}`);
  }
}
