import { HandlerError } from '../../shared/errors';

/** What a caller sends to POST /orders. */
export interface OrderRequest {
  readonly userId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** What the inventory check answered, through the circuit breaker. */
export interface InventoryAnswer {
  /** Units available, or null when unknown (the breaker served its fallback). */
  readonly available: number | null;
  /** `inventory` when the inventory service answered, `fallback` when the breaker did. */
  readonly source: 'inventory' | 'fallback';
}

export type OrderStatus = 'CONFIRMED' | 'BACKORDERED' | 'PENDING_INVENTORY';

/** The event published to the order-events topic; `eventType` is also a message attribute. */
export interface OrderEvent {
  readonly eventType: 'order.created';
  readonly orderId: string;
  readonly userId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly status: OrderStatus;
  readonly inventorySource: InventoryAnswer['source'];
  readonly createdAt: string;
}

/** What placing an order needs from the outside world; index.ts wires AWS clients. */
export interface OrderDependencies {
  checkInventory(sku: string): Promise<InventoryAnswer>;
  publish(event: OrderEvent): Promise<void>;
  newOrderId(): string;
  now(): Date;
}

/** The request is invalid: the caller must fix it, nothing was ordered. */
export class InvalidOrderError extends HandlerError {
  constructor(message: string) {
    super('ORDER_INVALID', message, false);
  }
}

const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const MAX_BODY_BYTES = 4096;

/** Parse and check a POST /orders body; every problem is named in one error. */
export function parseOrderRequest(body: string | null | undefined): OrderRequest {
  if (!body) throw new InvalidOrderError('the body must be a JSON object with userId, sku and quantity');
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw new InvalidOrderError(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidOrderError('the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidOrderError('the body must be a JSON object with userId, sku and quantity');
  }
  const { userId, sku, quantity } = parsed as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof userId !== 'string' || !ID_PATTERN.test(userId)) problems.push(`userId must be 1-64 letters, digits or dashes, got ${JSON.stringify(userId)}`);
  if (typeof sku !== 'string' || !ID_PATTERN.test(sku)) problems.push(`sku must be 1-64 letters, digits or dashes, got ${JSON.stringify(sku)}`);
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 100) {
    problems.push(`quantity must be an integer between 1 and 100, got ${JSON.stringify(quantity)}`);
  }
  if (problems.length > 0) throw new InvalidOrderError(problems.join('; '));
  return { userId: userId as string, sku: sku as string, quantity: quantity as number };
}

/** How the inventory answer decides the order's status. */
export function orderStatus(quantity: number, inventory: InventoryAnswer): OrderStatus {
  if (inventory.source === 'fallback' || inventory.available === null) return 'PENDING_INVENTORY';
  return inventory.available >= quantity ? 'CONFIRMED' : 'BACKORDERED';
}

/**
 * Place an order: check stock through the circuit breaker (a fallback answer still lets the
 * order through as PENDING_INVENTORY, so an inventory outage does not stop sales), then
 * publish `order.created` for the consumers. The event is published only after the check,
 * and a publish failure propagates, so the caller never gets an order id for an order
 * nobody heard about.
 */
export async function placeOrder(request: OrderRequest, deps: OrderDependencies): Promise<OrderEvent> {
  const inventory = await deps.checkInventory(request.sku);
  const event: OrderEvent = {
    eventType: 'order.created',
    orderId: deps.newOrderId(),
    userId: request.userId,
    sku: request.sku,
    quantity: request.quantity,
    status: orderStatus(request.quantity, inventory),
    inventorySource: inventory.source,
    createdAt: deps.now().toISOString(),
  };
  await deps.publish(event);
  return event;
}

/**
 * Read the circuit breaker's answer (an HTTP-shaped result: the inventory service's own
 * answer, or the configured fallback). Anything unexpected counts as unknown stock.
 */
export function inventoryAnswerFrom(result: unknown): InventoryAnswer {
  const r = result as { statusCode?: unknown; body?: unknown } | null;
  if (!r || typeof r !== 'object' || typeof r.body !== 'string' || r.statusCode !== 200) return { available: null, source: 'fallback' };
  try {
    const body = JSON.parse(r.body) as { available?: unknown; source?: unknown };
    if (body.source === 'fallback' || typeof body.available !== 'number') return { available: null, source: 'fallback' };
    return { available: body.available, source: 'inventory' };
  } catch {
    return { available: null, source: 'fallback' };
  }
}
