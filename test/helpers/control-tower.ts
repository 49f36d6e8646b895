import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

const ROOT = path.join(__dirname, '..', '..');
const RULES = path.join(ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard', 'rules', 'control-tower', 'cfn-guard');

/**
 * The AWS Control Tower proactive-control findings of `stack` for the given controls (e.g.
 * `CT.ECS.PR.3`), as `<control> <logical id>` strings: the project's own check
 * (scripts/validate-guard.mjs, cfn-guard) with no exceptions. A compliant stack returns `[]`.
 */
export function controlTowerFindings(stack: Stack, controls: string[]): string[] {
  const dir = path.join(process.env.TMPDIR!, `control-tower-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  writeFileSync(path.join(dir, 'out', `${stack.stackName}.template.json`), JSON.stringify(Template.fromStack(stack).toJSON()));
  writeFileSync(path.join(dir, 'no-exceptions.json'), JSON.stringify({ exceptions: [] }));
  const rules = controls.flatMap((control) => {
    const service = control.split('.')[1];
    return ['--rules', path.join(RULES, service.toLowerCase(), `${control.toLowerCase().replace(/\./g, '-')}.guard`)];
  });
  let output: string;
  try {
    output = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'validate-guard.mjs'), '--exceptions', 'no-exceptions.json', ...rules, 'out'],
      { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    if (e.status !== 1) throw new Error(`validate-guard failed to run (${e.status}): ${e.stderr || e.stdout}`);
    output = e.stdout;
  }
  return output.split('\n').flatMap((line) => {
    const match = line.match(/^\s+(CT\.[A-Z0-9-]+\.PR\.\d+) (\S+)/);
    return match ? [`${match[1]} ${match[2]}`] : [];
  });
}
