import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SalesReport, writeSalesReport } from './sales-report';
import { createHandler, JsonConfig } from '../../../shared';

// The nightly sales report (EventBridge Scheduler invokes it asynchronously; failures go to
// its on-failure destination). Settings (written by the lab stack):
//   SALES_REPORT_CONFIG = {"ordersTable":"<name>","reportBucket":"<name>","approvalThresholdCents":10000}
const config = JsonConfig.fromEnvironment('SALES_REPORT_CONFIG');
const ordersTable = config.string('ordersTable');
const reportBucket = config.string('reportBucket');
const approvalThresholdCents = config.number('approvalThresholdCents', { min: 0, max: 10_000_000, integer: true });
config.validate();

export const handler = createHandler<unknown, SalesReport>('cafe-sales-report', ({ logger, metrics }) => {
  const s3 = new S3Client({});
  const deps = {
    client: new DynamoDBClient({}),
    ordersTable,
    approvalThresholdCents,
    now: () => new Date(),
    putReport: async (key: string, body: string) => {
      await s3.send(new PutObjectCommand({ Bucket: reportBucket, Key: key, Body: body, ContentType: 'application/json' }));
    },
  };
  return async (input) => {
    const report = await writeSalesReport(input, deps);
    logger.info('sales report written', { date: report.date, orders: report.orders, revenueCents: report.revenueCents, skippedItems: report.skippedItems });
    metrics.addMetric('ReportedOrders', 'Count', report.orders);
    return report;
  };
});
