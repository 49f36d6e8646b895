import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import { OrderInvalid, OutOfStock } from '../shared/errors';
import { Item, n, readNumber, s } from '../shared/item';
import { ID_PATTERN, MAX_LINES, MAX_QUANTITY, SKU_PATTERN } from '../shared/order';

export const INVENTORY_ACTIONS = ['reserve', 'release', 'commit'] as const;
export type InventoryAction = typeof INVENTORY_ACTIONS[number];

/** What the workflow asks of the inventory: the order and its lines. */
export interface InventoryRequest {
  readonly action: InventoryAction;
  readonly orderId: string;
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
}

export type LineOutcome = 'reserved' | 'already-reserved' | 'released' | 'committed' | 'not-held';

export interface InventoryResult {
  readonly action: InventoryAction;
  readonly orderId: string;
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number; readonly outcome: LineOutcome }>;
}

/** Check the request a Task state sent; a malformed one is a bug in the workflow, never retried. */
export function parseInventoryRequest(input: unknown): InventoryRequest {
  const { action, orderId, lines } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!INVENTORY_ACTIONS.includes(action as InventoryAction)) problems.push(`action must be one of ${INVENTORY_ACTIONS.join(', ')}, got ${JSON.stringify(action)}`);
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId)) problems.push(`orderId must be 1-64 letters, digits, _ or -, got ${JSON.stringify(orderId)}`);
  const valid = Array.isArray(lines) && lines.length > 0 && lines.length <= MAX_LINES && lines.every((line) => {
    const { sku, quantity } = (line ?? {}) as Record<string, unknown>;
    return typeof sku === 'string' && SKU_PATTERN.test(sku) && Number.isInteger(quantity) && (quantity as number) >= 1 && (quantity as number) <= MAX_QUANTITY;
  });
  if (!valid) problems.push(`lines must be 1 to ${MAX_LINES} {sku, quantity (1-${MAX_QUANTITY})} objects`);
  if (problems.length > 0) throw new OrderInvalid(`inventory request: ${problems.join('; ')}`);
  return { action: action as InventoryAction, orderId: orderId as string, lines: (lines as InventoryRequest['lines']).map(({ sku, quantity }) => ({ sku, quantity })) };
}

/**
 * Stock moves one menu item at a time, each move a single conditional write that also
 * records (in the item's `holders` set) which order holds units. A retried reserve or
 * release therefore changes nothing the second time, and there is no window in which
 * stock is taken but nobody holds it.
 */
/** One conditional write on a menu item: what it changes, when, and its own values. */
interface ConditionalUpdate {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeValues: Item;
}

export class Inventory {
  constructor(private readonly client: DynamoDb, private readonly menuTable: string) {}

  public async apply(request: InventoryRequest): Promise<InventoryResult> {
    switch (request.action) {
      case 'reserve': return this.reserve(request);
      case 'release': return this.release(request);
      case 'commit': return this.commit(request);
    }
  }

  /** Take the units of every line, or none: on a line that cannot be served, the earlier ones are released and OutOfStock names it. */
  private async reserve(request: InventoryRequest): Promise<InventoryResult> {
    const lines: Array<InventoryResult['lines'][number]> = [];
    for (const [i, line] of request.lines.entries()) {
      const taken = await this.update(line.sku, request.orderId, {
        UpdateExpression: 'SET stock = stock - :quantity ADD holders :order',
        ConditionExpression: 'attribute_exists(sku) AND stock >= :quantity AND NOT contains(holders, :orderId)',
        ExpressionAttributeValues: { ':quantity': n(line.quantity) },
      });
      if (taken) {
        lines.push({ ...line, outcome: 'reserved' });
        continue;
      }
      const current = await this.read(line.sku);
      if (current?.holders?.SS?.includes(request.orderId)) {
        lines.push({ ...line, outcome: 'already-reserved' });
        continue;
      }
      await this.release({ ...request, action: 'release', lines: request.lines.slice(0, i) });
      throw new OutOfStock(line.sku, line.quantity, current ? readNumber(current, 'stock') ?? 0 : undefined);
    }
    return { action: 'reserve', orderId: request.orderId, lines };
  }

  /** Give back the units this order holds (compensation). */
  private async release(request: InventoryRequest): Promise<InventoryResult> {
    const lines: Array<InventoryResult['lines'][number]> = [];
    for (const line of request.lines) {
      const released = await this.update(line.sku, request.orderId, {
        UpdateExpression: 'SET stock = stock + :quantity DELETE holders :order',
        ConditionExpression: 'contains(holders, :orderId)',
        ExpressionAttributeValues: { ':quantity': n(line.quantity) },
      });
      lines.push({ ...line, outcome: released ? 'released' : 'not-held' });
    }
    return { action: 'release', orderId: request.orderId, lines };
  }

  /** The order is paid: its units are sold, only the hold is dropped. */
  private async commit(request: InventoryRequest): Promise<InventoryResult> {
    const lines: Array<InventoryResult['lines'][number]> = [];
    for (const line of request.lines) {
      const committed = await this.update(line.sku, request.orderId, {
        UpdateExpression: 'DELETE holders :order',
        ConditionExpression: 'contains(holders, :orderId)',
        ExpressionAttributeValues: {},
      });
      lines.push({ ...line, outcome: committed ? 'committed' : 'not-held' });
    }
    return { action: 'commit', orderId: request.orderId, lines };
  }

  /** One conditional write on a menu item; false when its condition did not hold. */
  private async update(sku: string, orderId: string, expression: ConditionalUpdate): Promise<boolean> {
    try {
      await this.client.updateItem({
        TableName: this.menuTable,
        Key: { sku: s(sku) },
        UpdateExpression: expression.UpdateExpression,
        ConditionExpression: expression.ConditionExpression,
        ExpressionAttributeValues: { ...expression.ExpressionAttributeValues, ':order': { SS: [orderId] }, ':orderId': s(orderId) },
      });
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  private async read(sku: string): Promise<Item | undefined> {
    const { Item: item } = await this.client.getItem({ TableName: this.menuTable, Key: { sku: s(sku) }, ConsistentRead: true });
    return item;
  }
}
