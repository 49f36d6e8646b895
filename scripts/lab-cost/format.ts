// How money, units and line items read, in the terminal report, budget messages and guides.
import { LineItem } from './model';

/** `$0.1834` (4 decimals by default; more for tiny unit prices). */
export function usd(value: number, decimals = 4): string {
  return `$${value.toFixed(decimals)}`;
}

/** A list price with the decimals it needs, at least two: `$1.00`, `$0.115`, `$0.0225`. */
export function listPrice(value: number): string {
  const [whole, fraction] = value.toFixed(6).split('.');
  return `$${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

/** `$0.18`: the figure guides state, to the cent. */
export function cents(value: number): string {
  return usd(value, 2);
}

/** A unit count without noise: `4`, `2.5`, `0.33`. */
export function units(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '');
}

/** The unit price as listed: `$1.00/month` for monthly fees, `$0.01975/hour` otherwise, ranges for Spot. */
export function unitPrice(item: LineItem): string {
  if (item.unitMonthly !== undefined) return `${listPrice(item.unitMonthly)}/month`;
  if (item.unitHourlyLow !== undefined) return `${listPrice(item.unitHourlyLow)}–${listPrice(item.unitHourly)}/hour`;
  return `${listPrice(item.unitHourly)}/hour`;
}

/** `4 × Fargate task (...) on FARGATE: $0.0790/hour`, for budget messages. */
export function itemSummary(item: LineItem): string {
  return `${units(item.idleUnits)} × ${item.description}: ${usd(item.idleUnits * item.unitHourly)}/hour`;
}
