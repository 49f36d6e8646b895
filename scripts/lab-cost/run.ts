// One run of the lab cost report: price the stacks, print them, and (when asked) check the
// budgets and the guides' cost sections, or rewrite those sections.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { readAssembly, readTemplate, StackTemplate } from './assembly';
import { budgetFailure, LAB_BUDGETS, NOT_LABS } from './budgets';
import { estimateStack, StackEstimate } from './estimate';
import { blockFailures, findBlocks, writeBlocks } from './guide-block';
import { headline, stackReport } from './report';

/** What a run reads and does. */
export interface RunOptions {
  /** The cloud assembly to price when no templates are named. */
  readonly assembly: string;
  /** Template files to price instead of the assembly. */
  readonly templates: readonly string[];
  /** Folder searched (recursively) for markdown guides with lab-cost blocks. */
  readonly guides: string;
  /** Check budgets and guide blocks; print one line per stack. */
  readonly check: boolean;
  /** Regenerate every guide block from the stacks. */
  readonly write: boolean;
}

/** Runs the report; returns the process exit code (1 when a check failed). */
export function runLabCost(options: RunOptions, print: (line: string) => void): number {
  const stacks: StackTemplate[] = options.templates.length > 0 ? options.templates.map((t) => readTemplate(t)) : readAssembly(options.assembly);
  const estimates = new Map<string, StackEstimate>(stacks.map((s) => [s.stackName, estimateStack(s.stackName, s.template)]));

  for (const estimate of estimates.values()) {
    const args = [estimate, LAB_BUDGETS[estimate.stackName], NOT_LABS[estimate.stackName]] as const;
    if (options.check) print(headline(...args));
    else stackReport(...args).forEach((l) => print(l));
  }

  const failures: string[] = [];
  const guided = new Set<string>();
  for (const guide of markdownFiles(options.guides)) {
    const markdown = readFileSync(guide, 'utf8');
    findBlocks(markdown).forEach((b) => guided.add(b.stackName));
    const link = priceTableLink(guide);
    if (options.write) {
      const updated = writeBlocks(markdown, estimates, link);
      if (updated !== markdown) {
        writeFileSync(guide, updated);
        print(`lab-cost: updated the cost section of ${guide}`);
      }
    } else if (options.check) {
      failures.push(...blockFailures(guide, markdown, estimates, link));
    }
  }

  if (options.check) {
    for (const estimate of estimates.values()) {
      const failure = budgetFailure(estimate);
      if (failure) failures.push(failure);
      if (failure === undefined && NOT_LABS[estimate.stackName] === undefined && !guided.has(estimate.stackName)) {
        print(`lab-cost: note: no guide under ${options.guides} has a <!-- lab-cost:${estimate.stackName} --> block yet`);
      }
    }
    failures.forEach((f) => print(`lab-cost: FAIL ${f}`));
    print(`lab-cost: ${estimates.size} stack(s) priced, ${failures.length} failure(s)`);
  }
  return failures.length > 0 ? 1 : 0;
}

/** Every `.md` file under a folder (none when it does not exist), sorted. */
function markdownFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The price table's path as a markdown link from the guide's folder. */
function priceTableLink(guide: string): string {
  return relative(dirname(guide), join(__dirname, 'prices.ts')).split(sep).join('/');
}
