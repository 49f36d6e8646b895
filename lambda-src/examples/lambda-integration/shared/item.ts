import type { AttributeValue, DynamoItem } from '../../../shared/aws/dynamodb';

/**
 * DynamoDB items in their wire format ({ S }, { N }, { L }, { M }, { SS }): what the
 * handlers write is exactly what the table and its stream hold. Readers return undefined
 * for a missing or mistyped attribute, so callers decide what a malformed item means.
 */
export type { AttributeValue };
export type Item = DynamoItem;

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });

/** The string at `key`, if it is one. */
export function readString(item: Item | undefined, key: string): string | undefined {
  const value = item?.[key]?.S;
  return typeof value === 'string' ? value : undefined;
}

/** The number at `key` if it is a finite number. */
export function readNumber(item: Item | undefined, key: string): number | undefined {
  const raw = item?.[key]?.N;
  if (typeof raw !== 'string') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
