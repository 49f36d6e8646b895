import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { CafeError } from '../shared/errors';
import { Item, readNumber, readString } from '../shared/item';
import { ORDER_STATUSES, OrderStatus } from '../shared/order';

/** The orders table's index by day: partition key `orderDate`, sort key `createdAt`. */
export const BY_DAY_INDEX = 'ByDay';

/** The day's figures, written to `reports/sales-<date>.json`. */
export interface SalesReport {
  readonly date: string;
  readonly generatedAt: string;
  readonly orders: number;
  readonly byStatus: Record<OrderStatus, number>;
  /** Money actually taken: the total of COMPLETED orders, in cents. */
  readonly revenueCents: number;
  readonly averageCompletedOrderCents: number;
  /** Units of each item sold in COMPLETED orders. */
  readonly unitsSold: Record<string, number>;
  /** Orders of the day that were over the approval threshold. */
  readonly largeOrders: number;
  /** Index entries that are not orders (written by hand); counted, not trusted. */
  readonly skippedItems: number;
}

export interface SalesReportDependencies {
  readonly client: DynamoDb;
  readonly ordersTable: string;
  readonly putReport: (key: string, body: string) => Promise<void>;
  readonly now: () => Date;
  /** Orders above this total needed a manager's approval. */
  readonly approvalThresholdCents: number;
}

/** The schedule's input named a day that is not `YYYY-MM-DD`. */
export class ReportRequestInvalid extends CafeError {
  constructor(message: string) {
    super('ReportRequestInvalid', message);
  }
}

/** The day to report: `input.date` when given, else yesterday (UTC), the day the nightly run has just closed. */
export function reportDate(input: unknown, now: Date): string {
  const date = (input as { date?: unknown } | null)?.date;
  if (date === undefined) return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new ReportRequestInvalid(`date must be a day as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  return date;
}

/** Read one day's orders through the by-day index, add them up and store the report. */
export async function writeSalesReport(input: unknown, deps: SalesReportDependencies): Promise<SalesReport> {
  const date = reportDate(input, deps.now());
  const byStatus = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>;
  const unitsSold: Record<string, number> = {};
  let orders = 0;
  let revenueCents = 0;
  let largeOrders = 0;
  let skippedItems = 0;
  let startKey: Item | undefined;
  do {
    const page = await deps.client.query({
      TableName: deps.ordersTable,
      IndexName: BY_DAY_INDEX,
      KeyConditionExpression: 'orderDate = :date',
      ExpressionAttributeValues: { ':date': { S: date } },
      ExclusiveStartKey: startKey,
    });
    for (const raw of page.Items ?? []) {
      const status = readString(raw, 'status') as OrderStatus | undefined;
      const total = readNumber(raw, 'totalCents');
      if (!status || !ORDER_STATUSES.includes(status) || total === undefined || !Number.isInteger(total) || total < 0) {
        skippedItems++;
        continue;
      }
      orders++;
      byStatus[status]++;
      if (total > deps.approvalThresholdCents) largeOrders++;
      if (status !== 'COMPLETED') continue;
      revenueCents += total;
      for (const line of raw.lines?.L ?? []) {
        const sku = readString(line.M, 'sku');
        const quantity = readNumber(line.M, 'quantity');
        if (sku && quantity !== undefined) unitsSold[sku] = (unitsSold[sku] ?? 0) + quantity;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const report: SalesReport = {
    date,
    generatedAt: deps.now().toISOString(),
    orders,
    byStatus,
    revenueCents,
    averageCompletedOrderCents: byStatus.COMPLETED > 0 ? Math.round(revenueCents / byStatus.COMPLETED) : 0,
    unitsSold,
    largeOrders,
    skippedItems,
  };
  await deps.putReport(`reports/sales-${date}.json`, JSON.stringify(report, null, 2));
  return report;
}
