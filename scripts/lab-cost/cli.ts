// Command line of the lab cost report (`npx projen lab-cost`, `npx projen lab-cost:check`):
//
//   lab-cost [--check] [--write] [--assembly <dir>] [--guides <dir>] [<stack>.template.json ...]
//
//   (no flag)   print every stack's idle $/hour with its line items (default: the stacks of cdk.out)
//   --check     one line per stack; fail when a lab exceeds or lacks its budget, has resources that
//               cannot be priced, or a guide's cost section differs from the stack
//   --write     regenerate every <!-- lab-cost:<Stack> --> block of the guides under --guides
// Offline and deterministic: it reads synthesized templates and scripts/lab-cost/prices.ts only.
import { runLabCost, RunOptions } from './run';

/** Options from the command line, or a usage error. */
export function parseArgs(argv: readonly string[]): RunOptions | string {
  const options = { assembly: 'cdk.out', guides: 'examples', templates: [] as string[], check: false, write: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--check':
        options.check = true;
        break;
      case '--write':
        options.write = true;
        break;
      case '--assembly':
      case '--guides': {
        const value = argv[++i];
        if (value === undefined || value.startsWith('--')) return `${arg} needs a folder`;
        options[arg === '--assembly' ? 'assembly' : 'guides'] = value;
        break;
      }
      default:
        if (arg.startsWith('--')) return `unknown option ${arg}; allowed: --check, --write, --assembly <dir>, --guides <dir>`;
        options.templates.push(arg);
    }
  }
  if (options.check && options.write) return '--check and --write cannot be combined: write the guides, then check them';
  return options;
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(`lab-cost: ${options}`);
    process.exit(2);
  }
  try {
    process.exitCode = runLabCost(options, (line) => console.log(line));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
  }
}
