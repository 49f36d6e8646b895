// Prices every resource of one stack and sums the idle and exercise hours.
import { LineItem, Pricer, Pricing } from './model';
import { FARGATE_PRICERS } from './pricers/fargate';
import { MONTHLY_FEE_PRICERS } from './pricers/monthly-fees';
import { NETWORK_PRICERS } from './pricers/network';
import { RDS_PRICERS } from './pricers/rds';
import { STREAM_AND_CACHE_PRICERS } from './pricers/streams-and-caches';
import { isCustomResource, RESOURCE_KIND_PRICERS } from './resource-kinds';
import { CfnTemplate, StackResource, TemplateIndex } from './template';

/** Every pricer, by CloudFormation type. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  ...RESOURCE_KIND_PRICERS,
  ...FARGATE_PRICERS,
  ...NETWORK_PRICERS,
  ...RDS_PRICERS,
  ...MONTHLY_FEE_PRICERS,
  ...STREAM_AND_CACHE_PRICERS,
};

/** Resources of one type that share an outcome. */
export interface TypeCount {
  readonly type: string;
  readonly count: number;
}

/** A usage-priced type and what drives its bill. */
export interface UsagePriced extends TypeCount {
  readonly driver: string;
}

/** A resource the report could not price, and why. */
export interface NotPricedResource {
  readonly type: string;
  readonly logicalId: string;
  readonly reason: string;
}

/** The cost report of one stack. */
export interface StackEstimate {
  readonly stackName: string;
  /** Priced lines, alike lines merged, largest idle subtotal first. */
  readonly items: readonly LineItem[];
  /** US dollars per idle hour, Fargate Spot at the top of its range. */
  readonly idleHourly: number;
  /** The same with Fargate Spot at the bottom of its range. */
  readonly idleHourlyLow: number;
  /** US dollars in an exercise hour: every autoscaled service at its maximum, 1 LCU per ALB. */
  readonly exerciseHourly: number;
  readonly usagePriced: readonly UsagePriced[];
  readonly notPriced: readonly NotPricedResource[];
  readonly free: readonly TypeCount[];
  /** Assumptions the report had to make about particular resources. */
  readonly warnings: readonly string[];
}

/** What the report makes of one resource, whatever its type. */
export function priceResource(resource: StackResource, index: TemplateIndex): Pricing {
  const pricer = PRICERS[resource.type];
  if (pricer) return pricer(resource, index);
  if (isCustomResource(resource.type)) return { kind: 'free' };
  return { kind: 'not-priced', reason: 'no price and no usage note for this resource type in scripts/lab-cost' };
}

/** The cost report of a synthesized stack. */
export function estimateStack(stackName: string, template: CfnTemplate): StackEstimate {
  const index = new TemplateIndex(template);
  const items: LineItem[] = [];
  const usage = new Map<string, UsagePriced>();
  const free = new Map<string, number>();
  const notPriced: NotPricedResource[] = [];
  const warnings: string[] = [];

  for (const resource of index.resources) {
    const pricing = priceResource(resource, index);
    switch (pricing.kind) {
      case 'priced':
        items.push(...pricing.items);
        warnings.push(...(pricing.warnings ?? []).map((w) => `${resource.logicalId} (${resource.type}): ${w}`));
        break;
      case 'usage':
        usage.set(resource.type, { type: resource.type, driver: pricing.driver, count: (usage.get(resource.type)?.count ?? 0) + 1 });
        break;
      case 'free':
        free.set(resource.type, (free.get(resource.type) ?? 0) + 1);
        break;
      case 'not-priced':
        notPriced.push({ type: resource.type, logicalId: resource.logicalId, reason: pricing.reason });
        break;
    }
  }

  const idleSubtotal = (i: LineItem) => i.idleUnits * i.unitHourly;
  const merged = mergeAlike(items).sort((a, b) => idleSubtotal(b) - idleSubtotal(a) || a.description.localeCompare(b.description));
  return {
    stackName,
    items: merged,
    idleHourly: sum(merged, idleSubtotal),
    idleHourlyLow: sum(merged, (i) => i.idleUnits * (i.unitHourlyLow ?? i.unitHourly)),
    exerciseHourly: sum(merged, (i) => i.exerciseUnits * i.unitHourly),
    usagePriced: [...usage.values()].sort((a, b) => a.type.localeCompare(b.type)),
    notPriced,
    free: [...free.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type)),
    warnings,
  };
}

/** Lines of the same type, description and unit price become one line with the units added. */
function mergeAlike(items: readonly LineItem[]): LineItem[] {
  const byKey = new Map<string, LineItem>();
  for (const item of items) {
    const key = [item.resourceType, item.description, item.unitHourly, item.unitHourlyLow].join('|');
    const seen = byKey.get(key);
    byKey.set(key, seen
      ? { ...seen, idleUnits: seen.idleUnits + item.idleUnits, exerciseUnits: seen.exerciseUnits + item.exerciseUnits }
      : item);
  }
  return [...byKey.values()];
}

function sum<T>(values: readonly T[], f: (v: T) => number): number {
  return values.reduce((total, v) => total + f(v), 0);
}
