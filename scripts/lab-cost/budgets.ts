// Idle budgets of the lab stacks, and the check the test command runs against them.
import { StackEstimate } from './estimate';
import { cents, itemSummary, usd } from './format';

/**
 * US dollars a lab may cost per idle hour: 10 % of the standard-cost rate of its seed
 * document (e.g. cross-service: $6.00 for 90 minutes → $0.40 per hour).
 */
export const LAB_BUDGETS: Readonly<Record<string, number>> = {
  EcsOrchestrationLab: 0.32,
  LambdaIntegrationLab: 0.15,
  ApiGatewayLab: 0.24,
  RdsIntegrationLab: 0.46,
  CrossServiceLab: 0.40,
  IotPlatform: 0.40,
};

/** Stacks of the app that are not labs, with the reason they need no budget. */
export const NOT_LABS: Readonly<Record<string, string>> = {
  PipelineSmoke: 'the foundation\'s smoke stack: one bundled function',
};

/** Why a stack fails the budget check, in a sentence that names the stack and what to do. */
export function budgetFailure(estimate: StackEstimate, budgets = LAB_BUDGETS, notLabs = NOT_LABS): string | undefined {
  const { stackName } = estimate;
  if (notLabs[stackName] !== undefined) return undefined;
  const figure = `${usd(estimate.idleHourly)} per idle hour`;
  const largest = `largest items: ${estimate.items.slice(0, 3).map(itemSummary).join('; ') || 'none'}`;
  if (estimate.notPriced.length > 0) {
    const what = estimate.notPriced.map((r) => `${r.logicalId} (${r.type}): ${r.reason}`).join('; ');
    return `${stackName}: ${estimate.notPriced.length} resource(s) cannot be priced, so ${figure} is only a lower bound: ${what}. `
      + 'Price the type or classify it as free or usage-priced in scripts/lab-cost.';
  }
  const budget = budgets[stackName];
  if (budget === undefined) {
    return `${stackName} costs ${figure} and has no budget: add it to LAB_BUDGETS (or NOT_LABS) in scripts/lab-cost/budgets.ts; ${largest}.`;
  }
  if (estimate.idleHourly > budget) {
    return `${stackName} costs ${figure}, over its budget of ${cents(budget)} per hour; ${largest}.`;
  }
  return undefined;
}
