import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fargateService, internetFacingAlb, natGateway } from './fixtures';
import { RunOptions, runLabCost } from '../../../scripts/lab-cost/run';

/** A cloud assembly with the given stacks and a guides folder, in a fresh folder under TMPDIR. */
function workspace(stacks: Record<string, object>): { assembly: string; guides: string } {
  const root = path.join(process.env.TMPDIR!, `lab-cost-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const assembly = path.join(root, 'cdk.out');
  const guides = path.join(root, 'examples', 'hand');
  mkdirSync(assembly, { recursive: true });
  mkdirSync(guides, { recursive: true });
  const artifacts: Record<string, object> = { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } };
  for (const [name, template] of Object.entries(stacks)) {
    writeFileSync(path.join(assembly, `${name}.template.json`), JSON.stringify(template));
    artifacts[name] = { type: 'aws:cloudformation:stack', properties: { templateFile: `${name}.template.json` } };
  }
  writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify({ version: '53.0.0', artifacts }));
  return { assembly, guides: path.dirname(guides) };
}

function run(options: Partial<RunOptions> & Pick<RunOptions, 'assembly' | 'guides'>): { code: number; output: string[] } {
  const output: string[] = [];
  const code = runLabCost({ templates: [], check: false, write: false, ...options }, (line) => output.push(line));
  return { code, output };
}

// $0.1615 per idle hour (see estimate.test.ts)
const crossService = { Resources: { ...natGateway(), ...internetFacingAlb(), ...fargateService('Web', { arch: 'ARM64', scaling: { min: 2, max: 4 } }) } };

describe('runLabCost', () => {
  test('prints every stack of the assembly with its line items', () => {
    const { code, output } = run(workspace({ CrossServiceLab: crossService, PipelineSmoke: { Resources: {} } }));
    expect(code).toBe(0);
    expect(output[0]).toBe('CrossServiceLab: $0.1615 per idle hour (budget $0.40); $0.2485 in an exercise hour');
    expect(output).toContainEqual(expect.stringMatching(/^ {2}AWS::EC2::NatGateway +NAT gateway +1 +\$0\.045\/hour +\$0\.0450$/));
    expect(output).toContainEqual(expect.stringMatching(/^PipelineSmoke: \$0\.0000 per idle hour \(not a lab: /));
  });

  test('check fails, naming the stack, a lab without a budget and passes the others', () => {
    const { code, output } = run({ ...workspace({ CrossServiceLab: crossService, MysteryLab: crossService }), check: true });
    expect(code).toBe(1);
    expect(output).toContain('lab-cost: FAIL MysteryLab costs $0.1615 per idle hour and has no budget: add it to LAB_BUDGETS (or NOT_LABS) in '
      + 'scripts/lab-cost/budgets.ts; largest items: 2 × Fargate task (ARM64, 1 vCPU, 2 GB) on FARGATE: $0.0790/hour; 1 × NAT gateway: '
      + '$0.0450/hour; 1 × Application Load Balancer: $0.0225/hour.');
    expect(output.filter((l) => l.includes('FAIL'))).toHaveLength(1);
    expect(output[output.length - 1]).toBe('lab-cost: 2 stack(s) priced, 1 failure(s)');
  });

  test('write regenerates a guide block that check then accepts, and check fails once the guide is edited', () => {
    const ws = workspace({ CrossServiceLab: crossService });
    const readme = path.join(ws.guides, 'hand', 'README.md');
    writeFileSync(readme, '# Lab\n\n<!-- lab-cost:CrossServiceLab -->\nto be generated\n<!-- /lab-cost -->\n');

    const written = run({ ...ws, write: true });
    expect(written.code).toBe(0);
    expect(written.output[written.output.length - 1]).toBe(`lab-cost: updated the cost section of ${readme}`);
    expect(readFileSync(readme, 'utf8')).toContain('**$0.16 per idle hour**');
    // the link to the price table is relative to the guide
    expect(readFileSync(readme, 'utf8')).toContain(`](${path.relative(path.dirname(readme), path.join(__dirname, '..', '..', '..', 'scripts', 'lab-cost', 'prices.ts'))})`);

    expect(run({ ...ws, check: true }).code).toBe(0);

    writeFileSync(readme, readFileSync(readme, 'utf8').replace('**$0.16 per idle hour**', '**$0.15 per idle hour**'));
    const checked = run({ ...ws, check: true });
    expect(checked.code).toBe(1);
    expect(checked.output).toContain(`lab-cost: FAIL ${readme}: the CrossServiceLab cost section states $0.15 per idle hour, the stack costs $0.16; `
      + 'run `npx projen lab-cost --write`');
  });

  test('notes, without failing, a lab that no guide block shows yet', () => {
    const { code, output } = run({ ...workspace({ CrossServiceLab: crossService }), check: true });
    expect(code).toBe(0);
    expect(output).toContainEqual(expect.stringMatching(/^lab-cost: note: no guide under .*examples has a <!-- lab-cost:CrossServiceLab --> block yet$/));
  });

  test('prices template files named instead of the assembly, each stack named after its file', () => {
    const ws = workspace({ Whatever: crossService });
    const { output } = run({ ...ws, templates: [path.join(ws.assembly, 'Whatever.template.json')] });
    expect(output[0]).toBe('Whatever: $0.1615 per idle hour (no budget); $0.2485 in an exercise hour');
  });

  test('says what to do when there is no cloud assembly', () => {
    expect(() => run({ assembly: path.join(process.env.TMPDIR!, 'no-such-cdk.out'), guides: 'examples' }))
      .toThrow(/no cloud assembly at .*no-such-cdk\.out .*run `npx cdk synth` first/);
  });
});
