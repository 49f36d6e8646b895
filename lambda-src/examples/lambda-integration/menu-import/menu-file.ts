import { parseCsv } from './csv';
import { CafeError } from '../shared/errors';
import { MenuItem } from '../shared/menu-item';
import { SKU_PATTERN } from '../shared/order';

/** The columns of a menu file, in any order; `category` may be left out. */
export const MENU_COLUMNS = ['sku', 'name', 'price', 'stock', 'category'] as const;
export const MAX_MENU_ROWS = 500;
const PRICE = /^(\d{1,4})(?:\.(\d{1,2}))?$/;

/** The file cannot be imported; nothing of it was written. */
export class MenuFileRejected extends CafeError {
  constructor(source: string, problems: string[]) {
    const shown = problems.slice(0, 20);
    super('MenuFileRejected', `${source} was not imported: ${shown.join('; ')}${problems.length > shown.length ? `; and ${problems.length - shown.length} more` : ''}`);
  }
}

/**
 * Read a menu CSV (header row first, e.g. `sku,name,price,stock,category` with prices in
 * dollars such as `3.50`). Every row is checked before anything is imported: a file with
 * a single bad row is rejected whole, naming each problem with its line.
 */
export function parseMenuFile(text: string, source: string): MenuItem[] {
  const parsed = parseCsv(text);
  if ('error' in parsed) throw new MenuFileRejected(source, [parsed.error]);
  const [header, ...rows] = parsed.rows;
  if (!header) throw new MenuFileRejected(source, ['the file is empty: it needs a header row and at least one item']);
  const columns = header.map((h) => h.trim().toLowerCase());
  const missing = MENU_COLUMNS.filter((c) => c !== 'category' && !columns.includes(c));
  const unknown = columns.filter((c) => !(MENU_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw new MenuFileRejected(source, [
      ...missing.map((c) => `the header lacks the column ${c}`),
      ...unknown.map((c) => `the header has an unknown column ${JSON.stringify(c)} (allowed: ${MENU_COLUMNS.join(', ')})`),
    ]);
  }
  if (rows.length === 0) throw new MenuFileRejected(source, ['the file has a header but no items']);
  if (rows.length > MAX_MENU_ROWS) throw new MenuFileRejected(source, [`the file has ${rows.length} items; at most ${MAX_MENU_ROWS} are allowed`]);

  const problems: string[] = [];
  const items: MenuItem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const line = i + 2;
    if (row.length !== columns.length) {
      problems.push(`line ${line} has ${row.length} fields, the header ${columns.length}`);
      return;
    }
    const value = (column: string) => (row[columns.indexOf(column)] ?? '').trim();
    const sku = value('sku');
    const name = value('name');
    const price = PRICE.exec(value('price'));
    const stock = value('stock');
    const rowProblems: string[] = [];
    if (!SKU_PATTERN.test(sku)) rowProblems.push(`sku ${JSON.stringify(sku)} must be lower-case letters, digits and dashes`);
    else if (seen.has(sku)) rowProblems.push(`sku ${sku} already appears on line ${seen.get(sku)}`);
    if (name.length === 0 || name.length > 80) rowProblems.push('name must be 1-80 characters');
    if (!price) rowProblems.push(`price ${JSON.stringify(value('price'))} must be dollars such as 3.50`);
    if (!/^\d{1,6}$/.test(stock)) rowProblems.push(`stock ${JSON.stringify(stock)} must be a whole number of units`);
    if (rowProblems.length > 0) {
      problems.push(`line ${line}: ${rowProblems.join(', ')}`);
      return;
    }
    seen.set(sku, line);
    const cents = Number(price![1]) * 100 + Number((price![2] ?? '0').padEnd(2, '0'));
    items.push({ sku, name, priceCents: cents, stock: Number(stock), category: value('category') || 'other' });
  });
  if (problems.length > 0) throw new MenuFileRejected(source, problems);
  return items;
}
