import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { Item } from '../shared/item';
import { MenuItem, parseMenuItem } from '../shared/menu-item';

/** More than a café menu ever holds: the scan stops here instead of paging without end. */
export const MAX_MENU_ITEMS = 500;

/** What GET /menu answers: every well-formed item, sorted by category then name. */
export interface Menu {
  readonly items: MenuItem[];
  /** Items left out because a field is missing or malformed. */
  readonly skipped: number;
}

/** Read the whole menu (a small table: a scan is the right tool). */
export async function readMenu(client: DynamoDb, tableName: string): Promise<Menu> {
  const items: MenuItem[] = [];
  let skipped = 0;
  let startKey: Item | undefined;
  do {
    const page = await client.scan({
      TableName: tableName,
      ProjectionExpression: 'sku, #name, priceCents, stock, category',
      ExpressionAttributeNames: { '#name': 'name' },
      ExclusiveStartKey: startKey,
    });
    for (const raw of page.Items ?? []) {
      const item = parseMenuItem(raw);
      if (item) items.push(item);
      else skipped++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length + skipped < MAX_MENU_ITEMS);
  items.sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
  return { items: items.slice(0, MAX_MENU_ITEMS), skipped };
}
