// The terminal report of one stack: totals, line items, and what the figure leaves out.
import { StackEstimate } from './estimate';
import { cents, unitPrice, units, usd } from './format';
import { LineItem } from './model';

/** Whether a line rests on a figure the price table marks unconfirmed. */
export function isUnconfirmed(item: LineItem): boolean {
  return item.prices.some((p) => p.confirmation === 'unconfirmed');
}

/** The headline of a stack: idle figure, its budget, the Spot range and the exercise hour. */
export function headline(estimate: StackEstimate, budget: number | undefined, notALab: string | undefined): string {
  const against = notALab !== undefined ? `not a lab: ${notALab}` : budget === undefined ? 'no budget' : `budget ${cents(budget)}`;
  const spot = estimate.idleHourlyLow < estimate.idleHourly ? `, ${usd(estimate.idleHourlyLow)} with Fargate Spot at its cheapest` : '';
  return `${estimate.stackName}: ${usd(estimate.idleHourly)} per idle hour (${against}${spot}); ${usd(estimate.exerciseHourly)} in an exercise hour`;
}

/** The full report of one stack as lines of text. */
export function stackReport(estimate: StackEstimate, budget: number | undefined, notALab: string | undefined): string[] {
  const rows = estimate.items.map((i) => [
    i.resourceType,
    `${i.description}${isUnconfirmed(i) ? ' (unconfirmed price)' : ''}`,
    units(i.idleUnits),
    unitPrice(i),
    usd(i.idleUnits * i.unitHourly),
  ]);
  const lines = [headline(estimate, budget, notALab)];
  lines.push(...(rows.length > 0 ? table(['resource type', 'billed for', 'units', 'unit price', 'per idle hour'], rows) : ['  no line items billed by the hour']));
  lines.push(`  usage-priced, not counted: ${estimate.usagePriced.map((u) => `${u.type} ×${u.count} (${u.driver})`).join('; ') || 'none'}`);
  lines.push(`  not priced: ${estimate.notPriced.map((n) => `${n.logicalId} ${n.type} (${n.reason})`).join('; ') || 'none'}`);
  const freeCount = estimate.free.reduce((n, f) => n + f.count, 0);
  lines.push(`  no charge of their own: ${freeCount} resources of ${estimate.free.length} types`);
  for (const warning of estimate.warnings) lines.push(`  note: ${warning}`);
  return lines;
}

/** Left-aligned text columns, numbers right-aligned, indented two spaces. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = (c: number) => c >= 2;
  const format = (cells: readonly string[]) => `  ${cells.map((cell, c) => (numeric(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ')}`.trimEnd();
  return [format(header), ...rows.map(format)];
}
