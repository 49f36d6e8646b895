import type { S3Event } from 'aws-lambda';
import { MenuFileRejected, parseMenuFile } from './menu-file';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { n, s } from '../shared/item';

/** Menu files are small; anything larger is refused before it is read. */
export const MAX_MENU_FILE_BYTES = 256 * 1024;

export interface MenuImportDependencies {
  readonly client: DynamoDb;
  readonly menuTable: string;
  readonly getObject: (bucket: string, key: string) => Promise<string>;
  readonly now: () => Date;
}

export interface ImportedFile {
  readonly source: string;
  readonly items: number;
}

/**
 * Import the menu files of an S3 event (invoked asynchronously by S3). Each file is
 * validated whole before any item is written; an invalid file raises MenuFileRejected,
 * Lambda retries the event and then sends it, with the error, to the function's
 * on-failure destination. The file itself stays in the bucket, so nothing is lost.
 * Importing upserts price, name, category and stock; reservations held on an item survive.
 */
export async function importMenuFiles(event: S3Event, deps: MenuImportDependencies): Promise<ImportedFile[]> {
  const imported: ImportedFile[] = [];
  for (const record of event.Records ?? []) {
    const bucket = record.s3?.bucket?.name;
    const key = decodeKey(record.s3?.object?.key ?? '');
    const source = `s3://${bucket}/${key}`;
    if (!bucket || !key) throw new MenuFileRejected(source, ['the event names no bucket or object']);
    if (!key.startsWith('menu/') || !key.toLowerCase().endsWith('.csv')) throw new MenuFileRejected(source, ['menu files are menu/<name>.csv']);
    const size = record.s3.object.size;
    if (typeof size === 'number' && size > MAX_MENU_FILE_BYTES) throw new MenuFileRejected(source, [`the file has ${size} bytes; at most ${MAX_MENU_FILE_BYTES} are allowed`]);
    const text = await deps.getObject(bucket, key);
    if (Buffer.byteLength(text, 'utf8') > MAX_MENU_FILE_BYTES) throw new MenuFileRejected(source, [`the file is larger than ${MAX_MENU_FILE_BYTES} bytes`]);
    const items = parseMenuFile(text, source);
    const now = deps.now().toISOString();
    for (const item of items) {
      await deps.client.updateItem({
        TableName: deps.menuTable,
        Key: { sku: s(item.sku) },
        UpdateExpression: 'SET #name = :name, priceCents = :price, stock = :stock, category = :category, updatedAt = :now, importedFrom = :source',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': s(item.name), ':price': n(item.priceCents), ':stock': n(item.stock), ':category': s(item.category), ':now': s(now), ':source': s(source) },
      });
    }
    imported.push({ source, items: items.length });
  }
  return imported;
}

/** S3 event keys are URL-encoded, with `+` for spaces. */
export function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}
