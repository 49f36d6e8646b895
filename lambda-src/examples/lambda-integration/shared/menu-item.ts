import { Item, readNumber, readString } from './item';
import { SKU_PATTERN } from './order';

/**
 * An item of the menu table (partition key `sku`). `stock` is what can still be sold;
 * `holders` (a string set) names the orders holding a reservation on it, which makes a
 * reservation and its release idempotent per order.
 */
export interface MenuItem {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly category: string;
}

/** A menu item, or undefined when the item lacks a field (e.g. written by hand). */
export function parseMenuItem(item: Item | undefined): MenuItem | undefined {
  const sku = readString(item, 'sku');
  const name = readString(item, 'name');
  const priceCents = readNumber(item, 'priceCents');
  const stock = readNumber(item, 'stock');
  if (!sku || !SKU_PATTERN.test(sku) || !name || priceCents === undefined || !Number.isInteger(priceCents) || priceCents < 0
    || stock === undefined || !Number.isInteger(stock) || stock < 0) {
    return undefined;
  }
  return { sku, name, priceCents, stock, category: readString(item, 'category') ?? 'other' };
}
