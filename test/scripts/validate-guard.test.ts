import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'validate-guard.mjs');

interface GuardRun {
  readonly code: number;
  readonly output: string;
}

interface Exception {
  readonly control: unknown;
  readonly templates: unknown;
  readonly resources: unknown;
  readonly reason: unknown;
}

/** Runs the check in a fresh folder holding the given templates and exception list. */
function checkGuard(templates: Record<string, object>, exceptions: Exception[], args: string[] = []): GuardRun {
  const dir = path.join(process.env.TMPDIR!, `guard-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  for (const [name, template] of Object.entries(templates)) writeFileSync(path.join(dir, 'out', `${name}.template.json`), JSON.stringify(template));
  writeFileSync(path.join(dir, 'guard-exceptions.json'), JSON.stringify({ exceptions }));
  try {
    return { code: 0, output: execFileSync(process.execPath, [SCRIPT, ...args, 'out'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: e.stdout + e.stderr };
  }
}

/** A Fargate-style task definition that passes every ECS control except the ones `container` breaks. */
function taskDefinition(container: Record<string, unknown>): object {
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [{
        Name: 'app',
        Image: 'public.ecr.aws/nginx/nginx-unprivileged:stable-alpine',
        Memory: 512,
        ReadonlyRootFilesystem: true,
        User: '101',
        LogConfiguration: { LogDriver: 'awslogs' },
        ...container,
      }],
    },
  };
}

const ROOT_USER_EXCEPTION: Exception = {
  control: 'CT.ECS.PR.3',
  templates: ['out/Service.template.json'],
  resources: ['AppTask*'],
  reason: 'Test fixture: this container must start as root to bind a privileged port before dropping privileges.',
};

describe('validate-guard', () => {
  test('a compliant template passes with zero findings', () => {
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({}) } } }, []);
    expect(result.output).toContain('ok   out/Service.template.json: 0 unlisted findings, 0 excepted');
    expect(result.code).toBe(0);
  });

  test('a container running as root fails, naming the template, resource, control, its requirement and the fix', () => {
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({ User: 'root' }) } } }, []);
    expect(result.code).toBe(1);
    expect(result.output).toContain('FAIL out/Service.template.json: 1 unlisted findings, 0 excepted');
    expect(result.output).toContain(
      'CT.ECS.PR.3 AppTask (AWS::ECS::TaskDefinition): Require any Amazon ECS task definition to specify a user that is not the root');
    expect(result.output).toContain('at Properties/ContainerDefinitions/0/User; fix: Set the \'User\' property to a non-root user.');
  });

  test('a finding covered by an exception passes and is counted as excepted', () => {
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({ User: 'root' }) } } }, [ROOT_USER_EXCEPTION]);
    expect(result.output).toContain('ok   out/Service.template.json: 0 unlisted findings, 1 excepted');
    expect(result.output).toContain('1 findings: 1 excepted, 0 unlisted, 0 stale exceptions');
    expect(result.code).toBe(0);
  });

  test('an exception covers only its own control: another control failing on the same resource still fails', () => {
    const result = checkGuard(
      { Service: { Resources: { AppTask: taskDefinition({ User: 'root', ReadonlyRootFilesystem: false }) } } },
      [ROOT_USER_EXCEPTION],
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('FAIL out/Service.template.json: 1 unlisted findings, 1 excepted');
    expect(result.output).toMatch(/CT\.ECS\.PR\.6 AppTask \(AWS::ECS::TaskDefinition\): Require Amazon ECS containers to allow read-only access/);
    expect(result.output).not.toMatch(/^ {7}CT\.ECS\.PR\.3/m);
  });

  test('an unlisted resource fails even when another resource of the same control is excepted', () => {
    const result = checkGuard(
      { Service: { Resources: { AppTask: taskDefinition({ User: 'root' }), WorkerTask: taskDefinition({ User: '0:0' }) } } },
      [ROOT_USER_EXCEPTION],
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('CT.ECS.PR.3 WorkerTask (AWS::ECS::TaskDefinition)');
    expect(result.output).not.toContain('CT.ECS.PR.3 AppTask');
    expect(result.output).toContain('2 findings: 1 excepted, 1 unlisted, 0 stale exceptions');
  });

  test('an exception for another template does not cover the finding', () => {
    const result = checkGuard({ Other: { Resources: { AppTask: taskDefinition({ User: 'root' }) } } }, [ROOT_USER_EXCEPTION]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('FAIL out/Other.template.json: 1 unlisted findings, 0 excepted');
  });

  test('a stale exception that covers no finding fails the run and is named', () => {
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({}) } } }, [ROOT_USER_EXCEPTION]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('FAIL stale exception guard-exceptions.json#0 (CT.ECS.PR.3, templates out/Service.template.json, resources AppTask*)');
    expect(result.output).toContain('0 findings: 0 excepted, 0 unlisted, 1 stale exceptions');
  });

  test('--warn-stale reports a stale exception without failing (for runs over a subset of templates)', () => {
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({}) } } }, [ROOT_USER_EXCEPTION], ['--warn-stale']);
    expect(result.output).toContain('WARN stale exception guard-exceptions.json#0');
    expect(result.code).toBe(0);
  });

  test('an exception with an unknown control, no resources or no real reason is rejected with every problem named', () => {
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({}) } } }, [
      { control: 'CT.ECS.PR.99', templates: ['out/*'], resources: ['AppTask'], reason: ROOT_USER_EXCEPTION.reason },
      { control: 'CT.ECS.PR.3', templates: ['out/*'], resources: [], reason: 'ok' },
    ]);
    expect(result.code).toBe(2);
    expect(result.output).toContain('guard-exceptions.json: exceptions[0].control must be the id of a control that is run (e.g. CT.LAMBDA.PR.3), got "CT.ECS.PR.99"');
    expect(result.output).toContain('exceptions[1].resources must be a non-empty list of glob patterns, got []');
    expect(result.output).toContain('exceptions[1].reason must say why a security reviewer accepts the finding (at least 40 characters), got "ok"');
  });

  test('a rule file cfn-guard cannot parse stops the check instead of being skipped', () => {
    const dir = path.join(process.env.TMPDIR!, `guard-rules-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const rule = path.join(dir, 'broken.guard');
    writeFileSync(rule, 'rule broken_rule {\n  Resources exists\n');
    const result = checkGuard({ Service: { Resources: { AppTask: taskDefinition({}) } } }, [], ['--rules', rule]);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/validate-guard: cfn-guard exited with 5 on out\/Service\.template\.json/);
  });
});
