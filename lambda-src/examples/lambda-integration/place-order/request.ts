import { ApiError } from '../shared/api';
import { ID_PATTERN, MAX_LINES, MAX_QUANTITY, SKU_PATTERN } from '../shared/order';

/** What a customer sends to POST /orders. Prices are never taken from the caller. */
export interface OrderRequest {
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
  readonly paymentToken: string;
}

/** Payment method tokens of the (stand-in) provider's SDK, e.g. `tok_visa`. */
export const PAYMENT_TOKEN_PATTERN = /^tok_[a-z0-9_]{1,40}$/;

/**
 * Check a POST /orders body (`{"items":[{"sku","quantity"}],"paymentToken"}`): every
 * problem is named in one 400 answer, and nothing is ordered.
 */
export function parseOrderRequest(body: Record<string, unknown>): OrderRequest {
  const problems: string[] = [];
  const { items, paymentToken } = body;
  const lines: Array<{ sku: string; quantity: number }> = [];
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINES) {
    problems.push(`items must be a list of 1 to ${MAX_LINES} {sku, quantity} objects, got ${describe(items)}`);
  } else {
    const seen = new Set<string>();
    items.forEach((entry, i) => {
      const { sku, quantity } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (typeof sku !== 'string' || !SKU_PATTERN.test(sku)) {
        problems.push(`items[${i}].sku must be a menu item id (lower-case letters, digits, dashes), got ${describe(sku)}`);
      } else if (seen.has(sku)) {
        problems.push(`items[${i}].sku ${sku} appears twice: order it once with the total quantity`);
      } else {
        seen.add(sku);
      }
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        problems.push(`items[${i}].quantity must be an integer between 1 and ${MAX_QUANTITY}, got ${describe(quantity)}`);
      }
      if (typeof sku === 'string' && typeof quantity === 'number') lines.push({ sku, quantity });
    });
  }
  if (typeof paymentToken !== 'string' || !PAYMENT_TOKEN_PATTERN.test(paymentToken)) {
    problems.push('paymentToken must be a payment method token such as tok_visa');
  }
  if (problems.length > 0) throw new ApiError(400, 'ORDER_INVALID', problems.join('; '));
  return { lines, paymentToken: paymentToken as string };
}

/** The optional `Idempotency-Key` header: the same key always names the same order of this customer. */
export function idempotencyKey(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key');
  if (!entry || entry[1] === undefined) return undefined;
  if (!ID_PATTERN.test(entry[1])) throw new ApiError(400, 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1-64 letters, digits, _ or -');
  return entry[1];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
