import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'validate-templates.mjs');

function validate(template: object): { code: number; output: string } {
  const dir = path.join(process.env.TMPDIR!, `validate-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Test.template.json'), JSON.stringify(template));
  try {
    return { code: 0, output: execFileSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, output: e.stdout };
  }
}

describe('validate-templates', () => {
  test('accepts a valid template', () => {
    const result = validate({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } } } });
    expect(result.output).toContain('1 of 1 templates valid');
    expect(result.code).toBe(0);
  });

  test('rejects unknown properties, wrong types and dangling references with the rule id', () => {
    const result = validate({
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibiltyTimeout: 60, MessageRetentionPeriod: 'forever' } },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['MissingKey', 'Arn'] } } },
      },
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAIL .*Test\.template\.json/);
    expect(result.output).toMatch(/F3002 Queue/);
    expect(result.output).toContain('0 of 1 templates valid');
  });
});
