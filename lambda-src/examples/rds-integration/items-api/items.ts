import type { Database, QueryOptions, Queryable } from '../../../db-query/database';

/** A row of `items` as the API returns it. */
export interface Item {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly quantity: number;
  /** Incremented by every update: the optimistic-concurrency token of PUT. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a caller may set on an item. */
export interface ItemFields {
  readonly name: string;
  readonly description: string;
  readonly quantity: number;
}

interface ItemRow {
  id: number | string;
  name: string;
  description: string;
  quantity: number;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, name, description, quantity, version, created_at, updated_at';

function toItem(row: ItemRow): Item {
  const iso = (value: Date | string) => (value instanceof Date ? value.toISOString() : String(value));
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    quantity: Number(row.quantity),
    version: Number(row.version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

async function selectItem(db: Queryable, id: number, options: QueryOptions): Promise<Item | undefined> {
  const { rows } = await db.query<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id = ?`, [id], options);
  return rows[0] ? toItem(rows[0]) : undefined;
}

/** Insert an item and read it back (with its generated id and timestamps) in one transaction. */
export function createItem(db: Database, fields: ItemFields, options: QueryOptions): Promise<Item> {
  return db.transaction(async (tx) => {
    const { insertId } = await tx.query('INSERT INTO items (name, description, quantity) VALUES (?, ?, ?)',
      [fields.name, fields.description, fields.quantity], options);
    return (await selectItem(tx, insertId, options))!;
  });
}

/** One item, or undefined. A read: retried once if the connection drops mid-statement. */
export async function getItem(db: Database, id: number, options: QueryOptions): Promise<Item | undefined> {
  const { rows } = await db.read<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id = ?`, [id], options);
  return rows[0] ? toItem(rows[0]) : undefined;
}

/** A page of items in id order, starting after `afterId` (keyset pagination: no OFFSET scans). */
export async function listItems(db: Database, page: { limit: number; afterId: number }, options: QueryOptions): Promise<Item[]> {
  const { rows } = await db.read<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id > ? ORDER BY id LIMIT ?`, [page.afterId, page.limit], options);
  return rows.map(toItem);
}

/** What an update found. */
export type UpdateOutcome = { readonly item: Item } | { readonly notFound: true } | { readonly conflict: { readonly currentVersion: number } };

/**
 * Replace an item's fields. With `expectedVersion`, the update applies only if nobody
 * changed the item since that version was read (optimistic concurrency): one statement
 * decides, so two concurrent updates cannot both win.
 */
export function updateItem(
  db: Database, id: number, fields: ItemFields, expectedVersion: number | null, options: QueryOptions,
): Promise<UpdateOutcome> {
  return db.transaction(async (tx) => {
    const { affectedRows } = await tx.query(
      'UPDATE items SET name = ?, description = ?, quantity = ?, version = version + 1 WHERE id = ? AND (? IS NULL OR version = ?)',
      [fields.name, fields.description, fields.quantity, id, expectedVersion, expectedVersion], options);
    const item = await selectItem(tx, id, options);
    if (!item) return { notFound: true } as const;
    return affectedRows === 1 ? { item } : { conflict: { currentVersion: item.version } };
  });
}

/** Delete an item; whether it existed. */
export async function deleteItem(db: Database, id: number, options: QueryOptions): Promise<boolean> {
  const { affectedRows } = await db.write('DELETE FROM items WHERE id = ?', [id], options);
  return affectedRows === 1;
}

/** Who the function is on the database, and which server answered (it changes after a failover). */
export interface SessionInfo {
  readonly currentUser: string;
  readonly serverHost: string;
  readonly serverVersion: string;
  /** The server connection that ran the statement: behind RDS Proxy it varies between calls (multiplexing). */
  readonly connectionId: number;
}

export async function sessionInfo(db: Database, options: QueryOptions): Promise<SessionInfo> {
  const { rows } = await db.read<{ currentUser: string; serverHost: string; serverVersion: string; connectionId: number | string }>(
    'SELECT CURRENT_USER() AS currentUser, @@hostname AS serverHost, VERSION() AS serverVersion, CONNECTION_ID() AS connectionId', undefined, options);
  const row = rows[0];
  return { currentUser: row.currentUser, serverHost: row.serverHost, serverVersion: row.serverVersion, connectionId: Number(row.connectionId) };
}
