import { SalesReport, writeSalesReport } from './sales-report';
import { parseSalesReportSettings, SALES_REPORT_SETTINGS_VARIABLE, SalesReportSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { s3 as s3Api } from '../../../shared/aws/s3';

// The nightly sales report (EventBridge Scheduler invokes it asynchronously; failures go to
// its on-failure destination). Settings: examples/lambda-integration/cafe-settings.ts.
const { ordersTable, reportBucket, approvalThresholdCents } =
  parseSalesReportSettings(JsonConfig.fromEnvironment<SalesReportSettings>(SALES_REPORT_SETTINGS_VARIABLE));

export const handler = createHandler<unknown, SalesReport>('cafe-sales-report', ({ logger, metrics }) => {
  const s3 = s3Api();
  const deps = {
    client: dynamoDb(),
    ordersTable,
    approvalThresholdCents,
    now: () => new Date(),
    putReport: async (key: string, body: string) => {
      await s3.putObject({ Bucket: reportBucket, Key: key, Body: body, ContentType: 'application/json' });
    },
  };
  return async (input) => {
    const report = await writeSalesReport(input, deps);
    logger.info('sales report written', { date: report.date, orders: report.orders, revenueCents: report.revenueCents, skippedItems: report.skippedItems });
    metrics.addMetric('ReportedOrders', 'Count', report.orders);
    return report;
  };
});
