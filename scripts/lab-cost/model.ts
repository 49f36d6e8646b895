// What pricing a resource can yield, and the shape every pricer returns.
import { hourly, Price } from './prices';
import { StackResource, TemplateIndex } from './template';

/** One priced line of a stack: a number of units at a unit price. */
export interface LineItem {
  readonly resourceType: string;
  /** What is billed, in words a learner reads, e.g. `NAT gateway`. */
  readonly description: string;
  /** US dollars per unit-hour; the top of the range for ranged prices (Fargate Spot). */
  readonly unitHourly: number;
  /** The bottom of the range, for ranged prices only. */
  readonly unitHourlyLow?: number;
  /** The monthly list price per unit, when the price is a monthly fee. */
  readonly unitMonthly?: number;
  /** Units billed in an idle hour. */
  readonly idleUnits: number;
  /** Units billed in an exercise hour (see the README's cost section). */
  readonly exerciseUnits: number;
  /** The price-table entries behind the unit price. */
  readonly prices: readonly Price[];
}

/** What the report makes of one resource. */
export type Pricing =
  | { readonly kind: 'priced'; readonly items: readonly LineItem[]; readonly warnings?: readonly string[] }
  /** No charge of its own (structure, permissions), or a one-off charge at deploy time. */
  | { readonly kind: 'free' }
  /** Billed per request, per GB or per second of use: not part of the idle hour. */
  | { readonly kind: 'usage'; readonly driver: string }
  /** It may cost money while idle, but the price table cannot say how much. */
  | { readonly kind: 'not-priced'; readonly reason: string };

/** Prices one resource of a template. */
export type Pricer = (resource: StackResource, index: TemplateIndex) => Pricing;

/** A line of `units` at a list price, the same in idle and exercise hours unless told otherwise. */
export function line(resource: StackResource, description: string, price: Price, idleUnits: number, exerciseUnits = idleUnits): LineItem {
  return {
    resourceType: resource.type,
    description,
    unitHourly: hourly(price),
    unitMonthly: price.period === 'month' ? price.usd : undefined,
    idleUnits,
    exerciseUnits,
    prices: [price],
  };
}

/** A `priced` result. */
export function priced(items: readonly LineItem[], warnings: readonly string[] = []): Pricing {
  return { kind: 'priced', items, warnings };
}

/** A `not-priced` result. */
export function notPriced(reason: string): Pricing {
  return { kind: 'not-priced', reason };
}
