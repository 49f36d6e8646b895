import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { publishOrderChanges } from './publisher';
import { ORDER_STREAM_SETTINGS_VARIABLE, OrderStreamSettings, parseOrderStreamSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { eventBridge } from '../../../shared/aws/eventbridge';

// The orders table's stream processor: every new order and status change becomes an event
// on the café bus. Settings: examples/lambda-integration/cafe-settings.ts.
const { eventBusName } = parseOrderStreamSettings(JsonConfig.fromEnvironment<OrderStreamSettings>(ORDER_STREAM_SETTINGS_VARIABLE));

export const handler = createHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>('cafe-order-stream', ({ logger, metrics }) => {
  const events = eventBridge();
  return (event) => publishOrderChanges(event.Records ?? [], {
    eventBusName,
    traceHeader: process.env._X_AMZN_TRACE_ID,
    putEvents: (entries) => events.putEvents({ Entries: entries }),
    onPublished: (published, eventId) => {
      logger.info('order event published', { detailType: published.detailType, orderId: published.detail.orderId, eventId });
      metrics.addMetric(`${published.detailType}Published`, 'Count', 1);
    },
    onFailed: (record, reason) => {
      logger.warn('stream record not published; Lambda retries it, then sends it to the on-failure destination', {
        sequenceNumber: record.dynamodb?.SequenceNumber, eventName: record.eventName, reason,
      });
      metrics.addMetric('StreamRecordsFailed', 'Count', 1);
    },
  });
});
