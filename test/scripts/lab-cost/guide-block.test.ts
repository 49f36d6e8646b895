import { fargateService, internetFacingAlb, natGateway } from './fixtures';
import { estimateStack, StackEstimate } from '../../../scripts/lab-cost/estimate';
import { blockFailures, findBlocks, renderBlock, writeBlocks } from '../../../scripts/lab-cost/guide-block';

const LINK = '../../scripts/lab-cost/prices.ts';
// $0.1615 per idle hour, $0.2485 in an exercise hour (see estimate.test.ts)
const estimate = estimateStack('HandLab', {
  Resources: { ...natGateway(), ...internetFacingAlb(), ...fargateService('Web', { arch: 'ARM64', scaling: { min: 2, max: 4 } }) },
});
const estimates = new Map<string, StackEstimate>([['HandLab', estimate]]);

const guide = (body: string) => `# Hand lab\n\n## What it costs\n\n<!-- lab-cost:HandLab -->\n${body}<!-- /lab-cost -->\n\n## Cleanup\n`;

describe('guide cost blocks', () => {
  test('render the idle figure to the cent, the line items and the exercise hour', () => {
    const body = renderBlock(estimate, LINK);
    expect(body).toContain('**$0.16 per idle hour** (about $3.88 per day)');
    expect(body).toContain(`([price table and sources](${LINK}))`);
    expect(body).toContain('| Fargate task (ARM64, 1 vCPU, 2 GB) on FARGATE | 2 | $0.0395/hour | $0.0790 |');
    expect(body).toContain('| **total** | | | **$0.1615** |');
    expect(body).toContain('An exercise hour costs about **$0.25**');
  });

  test('regenerate only the block, leaving the rest of the guide as it was', () => {
    const written = writeBlocks(guide('stale\n'), estimates, LINK);
    expect(written.startsWith('# Hand lab\n\n## What it costs\n\n<!-- lab-cost:HandLab -->\n')).toBe(true);
    expect(written.endsWith('<!-- /lab-cost -->\n\n## Cleanup\n')).toBe(true);
    expect(findBlocks(written)).toEqual([{ stackName: 'HandLab', body: renderBlock(estimate, LINK) }]);
    expect(blockFailures('README.md', written, estimates, LINK)).toEqual([]);
  });

  test('fail a guide that states a different figure, naming both figures', () => {
    const wrong = renderBlock(estimate, LINK).replace('**$0.16 per idle hour**', '**$0.12 per idle hour**');
    expect(blockFailures('examples/hand/README.md', guide(wrong), estimates, LINK)).toEqual([
      'examples/hand/README.md: the HandLab cost section states $0.12 per idle hour, the stack costs $0.16; run `npx projen lab-cost --write`',
    ]);
  });

  test('fail a guide whose figure still matches but whose line items do not', () => {
    const edited = renderBlock(estimate, LINK).replace('| NAT gateway | 1 |', '| NAT gateway | 2 |');
    expect(blockFailures('README.md', guide(edited), estimates, LINK)).toEqual([
      'README.md: the HandLab cost section is out of date (its figure $0.16 still matches, a line item does not); run `npx projen lab-cost --write`',
    ]);
  });

  test('fail a block that names a stack nobody synthesized', () => {
    const markdown = '<!-- lab-cost:GhostLab -->\n**$0.10 per idle hour**\n<!-- /lab-cost -->\n';
    expect(blockFailures('README.md', markdown, estimates, LINK)).toEqual([
      'README.md: lab-cost block for GhostLab, but no synthesized stack has that name',
    ]);
    // and --write leaves it alone rather than inventing a figure
    expect(writeBlocks(markdown, estimates, LINK)).toBe(markdown);
  });
});
