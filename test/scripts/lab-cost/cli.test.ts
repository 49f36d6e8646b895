import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from '../../../scripts/lab-cost/cli';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('lab-cost command line', () => {
  test('defaults to printing the stacks of cdk.out and the guides under examples', () => {
    expect(parseArgs([])).toEqual({ assembly: 'cdk.out', guides: 'examples', templates: [], check: false, write: false });
  });

  test('reads flags, folders and template paths', () => {
    expect(parseArgs(['--check', '--assembly', 'out', '--guides', 'docs', 'A.template.json'])).toEqual(
      { assembly: 'out', guides: 'docs', templates: ['A.template.json'], check: true, write: false });
  });

  test('rejects unknown options, a folder option without a folder, and --check with --write', () => {
    expect(parseArgs(['--budget'])).toBe('unknown option --budget; allowed: --check, --write, --assembly <dir>, --guides <dir>');
    expect(parseArgs(['--assembly'])).toBe('--assembly needs a folder');
    expect(parseArgs(['--guides', '--check'])).toBe('--guides needs a folder');
    expect(parseArgs(['--check', '--write'])).toBe('--check and --write cannot be combined: write the guides, then check them');
  });

  test('exits 2 with the reason on a usage error', () => {
    let result: { status: number; stderr: string } = { status: 0, stderr: '' };
    try {
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'scripts/lab-cost/cli.ts'), '--budget'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      result = err as { status: number; stderr: string };
    }
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('lab-cost: unknown option --budget');
  });
});
