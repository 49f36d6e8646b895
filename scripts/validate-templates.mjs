// Validates CloudFormation templates offline with @aws/cloudformation-validate (the
// CloudFormation resource schemas plus AWS's rule set): our stand-in for "CloudFormation
// would accept this template", since nothing here can reach AWS.
//
//   node scripts/validate-templates.mjs <dir|file.template.json> ...
//
// Directories are searched for *.template.json (cdk.out and integ/*.snapshot folders).
// Exit code 1 when any template has a FATAL or ERROR diagnostic; warnings are counted,
// listed with --verbose, and never fail the run.
import { RegoEngine, TemplateFile } from '@aws/cloudformation-validate';
import { relative } from 'node:path';
import { findTemplates } from './template-files.mjs';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const targets = args.filter((a) => !a.startsWith('--'));
if (targets.length === 0) {
  console.error('usage: validate-templates.mjs <dir|template.json> ... [--verbose]');
  process.exit(2);
}

const templates = findTemplates(targets);
if (templates.length === 0) {
  console.error(`validate-templates: no *.template.json found in ${targets.join(', ')}`);
  process.exit(1);
}

const FAILING = new Set(['FATAL', 'ERROR']);
const engine = new RegoEngine();
let failed = 0;
try {
  for (const file of templates) {
    const report = engine.validateStandard(new TemplateFile(file));
    const errors = report.diagnostics.filter((d) => FAILING.has(String(d.severity).toUpperCase()));
    const warnings = report.diagnostics.filter((d) => String(d.severity).toUpperCase().startsWith('WARN'));
    const name = relative(process.cwd(), file);
    console.log(`${errors.length === 0 ? 'ok  ' : 'FAIL'} ${name}: ${errors.length} errors, ${warnings.length} warnings`);
    for (const d of [...errors, ...(verbose ? warnings : [])]) {
      const where = [d.entity?.logicalId, d.propertyPath].filter(Boolean).join(' ');
      console.log(`       ${d.severity} ${d.ruleId} ${where}: ${d.message}`);
    }
    if (errors.length > 0) failed++;
  }
} finally {
  engine.free();
}
console.log(`validate-templates: ${templates.length - failed} of ${templates.length} templates valid`);
process.exit(failed > 0 ? 1 : 0);
