import { AttributeValue, Item, n, readNumber, readString, s } from './item';

/** Where an order is in its life: the API places it, the workflow moves it on. */
export const ORDER_STATUSES = ['PLACED', 'PROCESSING', 'COMPLETED', 'CANCELLED', 'REJECTED'] as const;
export type OrderStatus = typeof ORDER_STATUSES[number];

/** Order and customer ids: what DynamoDB keys, URLs and log lines can carry safely. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Menu item ids, e.g. `flat-white`. */
export const SKU_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAX_LINES = 20;
export const MAX_QUANTITY = 20;

/** One line of an order, priced from the menu when the order was placed. */
export interface OrderLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** An order as the orders table holds it (partition key `orderId`). */
export interface Order {
  readonly orderId: string;
  /** The Cognito `sub` of the customer who placed it. */
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  /** Money is counted in cents: no floating-point rounding anywhere. */
  readonly totalCents: number;
  /** The payment method's token from the payment provider's SDK (never a card number). */
  readonly paymentToken: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** `YYYY-MM-DD` (UTC) of createdAt: the partition key of the by-day index the sales report reads. */
  readonly orderDate: string;
  readonly statusReason?: string;
  readonly chargeId?: string;
}

/** The sum of the lines, in cents. */
export function linesTotalCents(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}

/** The order as a DynamoDB item. */
export function orderToItem(order: Order): Item {
  const item: Item = {
    orderId: s(order.orderId),
    customerId: s(order.customerId),
    status: s(order.status),
    lines: { L: order.lines.map(lineToValue) },
    totalCents: n(order.totalCents),
    paymentToken: s(order.paymentToken),
    createdAt: s(order.createdAt),
    updatedAt: s(order.updatedAt),
    orderDate: s(order.orderDate),
  };
  if (order.statusReason !== undefined) item.statusReason = s(order.statusReason);
  if (order.chargeId !== undefined) item.chargeId = s(order.chargeId);
  return item;
}

function lineToValue(line: OrderLine): AttributeValue {
  return { M: { sku: s(line.sku), name: s(line.name), quantity: n(line.quantity), unitPriceCents: n(line.unitPriceCents) } };
}

/**
 * Read an order item, checking every attribute. An item written by hand (or by a bug)
 * gives the list of what is wrong with it instead of an order.
 */
export function parseOrderItem(item: Item | undefined): { order: Order; problems: [] } | { order?: undefined; problems: string[] } {
  if (!item || typeof item !== 'object') return { problems: ['the item is missing'] };
  const problems: string[] = [];
  const text = (key: string, pattern?: RegExp) => {
    const value = readString(item, key);
    if (value === undefined || value.length === 0 || (pattern && !pattern.test(value))) problems.push(`${key} is missing or malformed`);
    return value ?? '';
  };
  const orderId = text('orderId', ID_PATTERN);
  const customerId = text('customerId');
  const status = text('status') as OrderStatus;
  if (status && !ORDER_STATUSES.includes(status)) problems.push(`status ${JSON.stringify(status)} is not one of ${ORDER_STATUSES.join(', ')}`);
  const paymentToken = text('paymentToken');
  const createdAt = text('createdAt');
  const updatedAt = text('updatedAt');
  const orderDate = text('orderDate', /^\d{4}-\d{2}-\d{2}$/);
  const totalCents = readNumber(item, 'totalCents');
  if (totalCents === undefined || !Number.isInteger(totalCents) || totalCents < 0) problems.push('totalCents is missing or not a whole number of cents');

  const rawLines = item.lines?.L;
  const lines: OrderLine[] = [];
  if (!Array.isArray(rawLines) || rawLines.length === 0) {
    problems.push('lines is missing or empty');
  } else {
    rawLines.forEach((value, i) => {
      const line = value.M;
      const sku = readString(line, 'sku');
      const name = readString(line, 'name');
      const quantity = readNumber(line, 'quantity');
      const unitPriceCents = readNumber(line, 'unitPriceCents');
      if (!sku || !SKU_PATTERN.test(sku) || !name || !isCount(quantity, MAX_QUANTITY) || !isCount(unitPriceCents, Number.MAX_SAFE_INTEGER)) {
        problems.push(`lines[${i}] needs sku, name, quantity (1-${MAX_QUANTITY}) and unitPriceCents`);
        return;
      }
      lines.push({ sku, name, quantity: quantity!, unitPriceCents: unitPriceCents! });
    });
  }
  if (problems.length > 0) return { problems };
  return {
    order: {
      orderId,
      customerId,
      status,
      lines,
      totalCents: totalCents!,
      paymentToken,
      createdAt,
      updatedAt,
      orderDate,
      statusReason: readString(item, 'statusReason'),
      chargeId: readString(item, 'chargeId'),
    },
    problems: [],
  };
}

function isCount(value: number | undefined, max: number): boolean {
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= max;
}

/** What a customer may see of an order (no payment token, no internal fields). */
export interface OrderView {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly statusReason?: string;
}

export function orderView(order: Order): OrderView {
  const { orderId, status, lines, totalCents, createdAt, updatedAt, statusReason } = order;
  return statusReason === undefined
    ? { orderId, status, lines, totalCents, createdAt, updatedAt }
    : { orderId, status, lines, totalCents, createdAt, updatedAt, statusReason };
}
